//! The fixer: one repair policy for a failed cell, used by the notebook (`%fix`, `%%collm
//! --max-fix`) and by `collm run` alike.
//!
//! The order is fixed: the repair rustc or a domain rule proposes (carried on the error by
//! [`rules`]), then the language model ([`model`]) when one is chosen, and only for compile errors
//! and panics (a data error is not the code's fault). Each attempt is shown as a diff before the
//! repaired cell runs, and the budget bounds the attempts.

pub mod model;
pub mod rules;

use crate::publish::Publisher;
use crate::rust::CellError;
use collm_analysis::text::html_escape;
use serde_json::json;

/// A model's proposal for `code` failing with `error`, attempt `k` (seeded by `k`).
pub type ProposeFix<'a> = &'a dyn Fn(&str, &str, u64) -> Result<Option<String>, String>;

/// The repair policy for one run of a cell.
pub struct Fixer<'a> {
    budget: usize,
    model: Option<ProposeFix<'a>>,
    publisher: Publisher,
}

impl<'a> Fixer<'a> {
    /// At most `budget` repairs; `model` is the last resort; diffs go to `publisher`.
    pub fn new(budget: usize, model: Option<ProposeFix<'a>>, publisher: Publisher) -> Self {
        Fixer {
            budget,
            model,
            publisher,
        }
    }

    /// Runs `code` with `run`, replacing a failed cell with its next repair while the budget
    /// lasts. Returns the code that finally ran, or the last code tried and its error.
    pub fn run(
        &self,
        code: &str,
        run: &mut dyn FnMut(&str) -> Result<(), CellError>,
    ) -> Result<String, (String, CellError)> {
        let mut code = code.to_string();
        let mut attempt = 0;
        loop {
            let error = match run(&code) {
                Ok(()) => return Ok(code),
                Err(e) => e,
            };
            match self.next(&error, &code, attempt) {
                Some((fixed, by)) => {
                    attempt += 1;
                    self.show(attempt, by, &error, &code, &fixed);
                    code = fixed;
                }
                None => return Err((code, error)),
            }
        }
    }

    /// The next repair, while the budget lasts, and who proposed it.
    fn next(&self, e: &CellError, code: &str, attempt: usize) -> Option<(String, &'static str)> {
        if attempt >= self.budget {
            return None;
        }
        if let Some(fixed) = e.fix.clone() {
            return Some((fixed, "rules"));
        }
        if !matches!(e.ename.as_str(), "CompileError" | "Panic") {
            return None;
        }
        let model = self.model?;
        match model(code, &e.traceback.join("\n"), attempt as u64 + 1) {
            Ok(fixed) => fixed.map(|f| (f, "model")),
            Err(why) => {
                let note = format!("The model could not propose a repair: {why}\n");
                self.publisher.stream("stderr", &note);
                None
            }
        }
    }

    /// One repair attempt, as a unified diff of the cell.
    fn show(&self, attempt: usize, by: &str, error: &CellError, before: &str, after: &str) {
        let diff = similar::TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(2)
            .header("cell", "repaired cell")
            .to_string();
        let head = format!(
            "Repair {attempt}/{} ({by}): {}: {}",
            self.budget, error.ename, error.evalue
        );
        let html = format!(
            "<details open><summary>{}</summary><pre>{}</pre></details>",
            html_escape(&head),
            html_escape(&diff)
        );
        self.publisher.display(
            json!({"text/plain": format!("{head}\n{diff}"), "text/html": html}),
            json!({}),
            None,
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publisher() -> (
        Publisher,
        tokio::sync::mpsc::UnboundedReceiver<crate::wire::Message>,
    ) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Publisher::new(tx, "test"), rx)
    }

    fn failing(fix: Option<&str>, ename: &str) -> CellError {
        let mut e = CellError::new(ename, "it broke");
        e.fix = fix.map(String::from);
        e
    }

    #[test]
    fn rules_first_then_the_model_within_the_budget() {
        let (p, mut rx) = publisher();
        let model = |code: &str, _: &str, k: u64| Ok(Some(format!("{code} // model {k}")));
        let fixer = Fixer::new(3, Some(&model), p);
        let mut seen = Vec::new();
        let result = fixer.run("a", &mut |c| {
            seen.push(c.to_string());
            match seen.len() {
                1 => Err(failing(Some("b"), "CompileError")),
                2 => Err(failing(None, "CompileError")),
                _ => Ok(()),
            }
        });
        assert_eq!(result.expect("repaired"), "b // model 2");
        assert_eq!(seen, ["a", "b", "b // model 2"]);
        let mut diffs = 0;
        while let Ok(m) = rx.try_recv() {
            diffs += usize::from(m.msg_type() == "display_data");
        }
        assert_eq!(diffs, 2, "each repair is shown");
    }

    #[test]
    fn no_budget_no_repair_and_data_errors_are_not_the_codes_fault() {
        let (p, _rx) = publisher();
        let model = |_: &str, _: &str, _: u64| Ok(Some("changed".to_string()));
        let none = Fixer::new(0, Some(&model), p.clone());
        let e = none.run("a", &mut |_| Err(failing(Some("b"), "CompileError")));
        assert_eq!(e.expect_err("no budget").0, "a");
        let fixer = Fixer::new(3, Some(&model), p);
        let mut runs = 0;
        let e = fixer.run("a", &mut |_| {
            runs += 1;
            Err(failing(None, "lhco::Error"))
        });
        assert_eq!(runs, 1);
        assert_eq!(e.expect_err("not repaired").1.ename, "lhco::Error");
    }
}
