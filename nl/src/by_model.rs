//! A bullet the grammar could not read, through the language model: the prompt from
//! `prompts/understand.txt` with the bank's examples nearest the bullet, decoding constrained
//! to the canonical grammar and to the bullet's numbers, then the grammar's own reading of
//! the line. The greedy line and the lines forked from it where the model was least sure
//! are checked alike; the first that holds is the reading and the next ones are offered
//! beside it.

use crate::ir::Stmt;
use crate::model::bank::Bank;
use crate::model::{Decoding, Embedder, Grammar, Lm, Numbers, Request, Statements};
use crate::read::{self, Ctx, Section};
use crate::{agree, canon, model};

/// The most tokens a model may spend on one canonical line.
const LINE_TOKENS: usize = 96;
/// Lines forked from the greedy one.
const FORKS: usize = 4;
/// Other readings shown beside the model's.
const ALTERNATIVES: usize = 2;

/// The bullet's statements as the model reads them, with other readings it found likely;
/// an error says why no line it wrote holds.
pub(crate) fn read(
    (lm, embedder, bank): (&mut Lm, Option<&mut Embedder>, Result<&mut Bank, String>),
    bullet: &str,
    section: Section,
    ctx: &mut Ctx,
) -> Result<(Vec<Stmt>, Vec<String>), String> {
    let bank = bank.map_err(|why| format!("its examples could not be read: {why}"))?;
    let prompt = prompt(lm, bank, embedder, bullet, section)?;
    let statements = match section {
        Section::Cuts => Statements::Cuts,
        Section::Plots => Statements::Plots,
        Section::Output => Statements::Output,
        Section::Description => Statements::All,
    };
    let grammar = Grammar::of(statements).restricted(Numbers::from_bullet(bullet));
    let req = Request {
        prompt: prompt.trim_end(),
        max_tokens: LINE_TOKENS,
        decoding: Decoding::Greedy,
        grammar: Some(&grammar),
        stop: None,
    };
    let (best, forks) = lm.generate_forks(&req, FORKS).map_err(|e| e.to_string())?;
    let mut first_problem = None;
    let mut held: Vec<(Vec<Stmt>, String, Ctx)> = Vec::new();
    for g in std::iter::once(best).chain(forks) {
        match check(&g, bullet, section, ctx) {
            Ok((stmts, c)) => {
                let line = canon::stmts(&stmts);
                if held.iter().all(|(_, l, _)| *l != line) {
                    held.push((stmts, line, c));
                }
            }
            Err(why) => {
                first_problem.get_or_insert(why);
            }
        }
    }
    let mut held = held.into_iter();
    let Some((stmts, _, c)) = held.next() else {
        return Err(first_problem.unwrap_or_else(|| "it wrote nothing".into()));
    };
    *ctx = c;
    let others = held.take(ALTERNATIVES).map(|(_, line, _)| line).collect();
    Ok((stmts, others))
}

/// The prompt: the bullet and its section, after the bank's examples nearest to it.
fn prompt(
    lm: &Lm,
    bank: &mut Bank,
    embedder: Option<&mut Embedder>,
    bullet: &str,
    section: Section,
) -> Result<String, String> {
    let name = |section: &str| match section {
        "plots" => "plots",
        "output" => "output",
        _ => "selection cuts",
    };
    let here = match section {
        Section::Cuts | Section::Description => "cuts",
        Section::Plots => "plots",
        Section::Output => "output",
    };
    let examples: String = bank
        .nearest(bullet, embedder)
        .iter()
        .map(|x| {
            let section = name(&x.section);
            format!(
                "Section: {section}\nBullet: {}\nCanonical: {}\n\n",
                x.phrasing, x.canonical
            )
        })
        .collect();
    model::prompts::render(
        "understand.txt",
        &[
            ("section", name(here)),
            ("bullet", bullet),
            ("examples", &examples),
        ],
        Some(lm.dir()),
    )
}

/// One line the model wrote, held to the bullet (its objects and numbers) and read by the
/// grammar after the earlier bullets: its statements and the context after them.
fn check(
    g: &model::Generation,
    bullet: &str,
    section: Section,
    ctx: &Ctx,
) -> Result<(Vec<Stmt>, Ctx), String> {
    if !g.finished {
        return Err(format!(
            "its reading \"{}\" was not a whole line after {LINE_TOKENS} tokens",
            g.text
        ));
    }
    let line = g.text.trim();
    if let Some(why) = agree::objects_differ(bullet, line)
        .or_else(|| agree::properties_differ(bullet, line))
        .or_else(|| agree::unfounded(bullet, line))
    {
        return Err(format!("its reading \"{line}\" {why}"));
    }
    let (mut stmts, c) = [section, Section::Cuts, Section::Plots, Section::Output]
        .into_iter()
        .find_map(|s| {
            let mut c = ctx.clone();
            let r = read::read(line, s, &mut c).ok()?;
            Some((r, c))
        })
        .ok_or_else(|| format!("its reading \"{line}\" does not fit the earlier bullets"))?;
    // A small model may say a condition twice ("electrons: pT > 25 GeV, pT > 25 GeV").
    for s in &mut stmts {
        if let Stmt::Select { filters, .. } = s {
            let mut seen = Vec::new();
            filters.retain(|f| {
                let new = !seen.contains(f);
                seen.push(f.clone());
                new
            });
        }
    }
    Ok((stmts, c))
}
