//! The table of known magics, help and completion.

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError, MagicKind};
use crate::HelpRequest;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// All magics the kernel knows, by name.
#[derive(Default, Clone)]
pub struct Registry {
    magics: BTreeMap<&'static str, Arc<dyn Magic>>,
}

impl Registry {
    /// Adds (or replaces) a magic.
    pub fn register(&mut self, magic: Arc<dyn Magic>) {
        self.magics.insert(magic.name(), magic);
    }

    /// Looks a magic up by name.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Magic>> {
        self.magics.get(name)
    }

    /// Names, for completion and `%lsmagic`.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.magics.keys().copied()
    }

    /// Runs `%name args` (body `None`) or `%%name args` + body.
    ///
    /// `%lsmagic` is answered here because it lists the registry itself.
    pub fn run(
        &self,
        name: &str,
        args: &str,
        body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        if name == "lsmagic" {
            ctx.print(&self.listing());
            return Ok(());
        }
        let Some(magic) = self.magics.get(name) else {
            return Err(MagicError::Usage(self.unknown(name, body.is_some())));
        };
        match (magic.kind(), body.is_some()) {
            (MagicKind::Line, true) => Err(MagicError::Usage(format!(
                "%%{name} is not a cell magic; use %{name} on a line"
            ))),
            (MagicKind::Cell, false) => Err(MagicError::Usage(format!(
                "%{name} is a cell magic; put %%{name} on the first line of the cell"
            ))),
            _ => match magic.run(args, body, ctx) {
                Err(MagicError::Help(text)) => {
                    ctx.payload(page(&text));
                    Ok(())
                }
                other => other,
            },
        }
    }

    /// Shows help as a pager payload, the way IPython's `?` does.
    pub fn help(
        &self,
        request: &HelpRequest,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let text = match request {
            HelpRequest::General => format!(
                "collm: Rust cells run through evcxr; lines starting with % are magics.\n\
                 Use %name? for help on a magic.\n\n{}",
                self.listing()
            ),
            HelpRequest::Magic(name) if name == "lsmagic" => {
                "%lsmagic: list the available magics.".to_string()
            }
            HelpRequest::Magic(name) => match self.magics.get(name.as_str()) {
                Some(m) => format!("{}\n\n{}", m.summary(), m.command().render_long_help()),
                None => return Err(MagicError::Usage(self.unknown(name, false))),
            },
        };
        ctx.payload(page(&text));
        Ok(())
    }

    /// The `%lsmagic` table.
    pub fn listing(&self) -> String {
        let mut out = String::from("Available magics:\n  %lsmagic  list the available magics\n");
        for m in self.magics.values() {
            let form = match m.kind() {
                MagicKind::Line => format!("%{}", m.name()),
                MagicKind::Cell => format!("%%{}", m.name()),
                MagicKind::Both => format!("%{0}, %%{0}", m.name()),
            };
            out.push_str(&format!("  {form:<18} {}\n", m.summary()));
        }
        out
    }

    fn unknown(&self, name: &str, cell: bool) -> String {
        let prefix = if cell { "%%" } else { "%" };
        let mut near: Vec<&str> = self
            .names()
            .chain(["lsmagic"])
            .filter(|n| edit_distance(n, name) <= 2 || n.starts_with(name))
            .collect();
        near.sort();
        let hint = if near.is_empty() {
            "; %lsmagic lists them".to_string()
        } else {
            format!(
                "; did you mean {}?",
                near.iter()
                    .map(|n| format!("%{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!("unknown magic {prefix}{name}{hint}")
    }

    /// Completions for the magic on `line` with the cursor at byte `cursor`.
    /// Returns the byte range replaced and the candidates.
    pub fn complete(&self, line: &str, cursor: usize) -> Option<(usize, Vec<String>)> {
        let before = &line[..cursor.min(line.len())];
        let indent = before.len() - before.trim_start().len();
        let body = &before[indent..];
        let sigils = body.len() - body.trim_start_matches('%').len();
        if sigils == 0 || sigils > 2 {
            return None;
        }
        let rest = &body[sigils..];
        match rest.find(char::is_whitespace) {
            None => {
                let mut names: Vec<String> = self
                    .names()
                    .chain(["lsmagic"])
                    .filter(|n| n.starts_with(rest))
                    .map(|n| format!("{}{n}", &body[..sigils]))
                    .collect();
                names.sort();
                Some((indent, names))
            }
            Some(end) => {
                let magic = self.magics.get(&rest[..end])?;
                let word_start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                let word = &before[word_start..];
                let mut cmd = magic.command();
                cmd.build();
                if let Some(values) =
                    flag_values(&cmd, before[..word_start].split_whitespace().last())
                {
                    let mut values: Vec<String> =
                        values.into_iter().filter(|v| v.starts_with(word)).collect();
                    values.sort();
                    return Some((word_start, values));
                }
                let mut flags: Vec<String> = cmd
                    .get_arguments()
                    .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                    .chain(cmd.get_subcommands().map(|s| s.get_name().to_string()))
                    .filter(|f| f.starts_with(word))
                    .collect();
                flags.sort();
                Some((word_start, flags))
            }
        }
    }
}

/// The values a flag accepts, when `previous` (the word before the cursor's) is a `--flag`
/// with a fixed list (such as `--channel`).
fn flag_values(cmd: &clap::Command, previous: Option<&str>) -> Option<Vec<String>> {
    let long = previous?.strip_prefix("--")?;
    let arg = cmd.get_arguments().find(|a| a.get_long() == Some(long))?;
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    (!values.is_empty()).then_some(values)
}

/// A `page` payload for the execute reply.
pub fn page(text: &str) -> serde_json::Value {
    json!({"source": "page", "data": {"text/plain": text}, "start": 0})
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{register_builtins, Recorded, RecordingContext};

    fn registry() -> Registry {
        let mut r = Registry::default();
        register_builtins(&mut r);
        r
    }

    #[test]
    fn unknown_magic_suggests_near_names() {
        let mut ctx = RecordingContext::default();
        let err = registry().run("pdw", "", None, &mut ctx).unwrap_err();
        assert_eq!(err.to_string(), "unknown magic %pdw; did you mean %pwd?");
    }

    #[test]
    fn lsmagic_lists_every_magic() {
        let mut ctx = RecordingContext::default();
        registry().run("lsmagic", "", None, &mut ctx).unwrap();
        let out = ctx.stdout();
        for name in ["%lsmagic", "%pwd", "%env", "%time, %%time"] {
            assert!(out.contains(name), "{name} missing from {out}");
        }
    }

    #[test]
    fn help_is_a_page_payload() {
        let mut ctx = RecordingContext::default();
        registry()
            .help(&HelpRequest::Magic("env".into()), &mut ctx)
            .unwrap();
        match &ctx.outputs[0] {
            Recorded::Payload(p) => {
                assert_eq!(p["source"], "page");
                assert!(p["data"]["text/plain"].as_str().unwrap().contains("Usage"));
            }
            other => panic!("expected a payload, got {other:?}"),
        }
    }

    #[test]
    fn wrong_form_is_explained() {
        let mut ctx = RecordingContext::default();
        let err = registry()
            .run("pwd", "", Some("body"), &mut ctx)
            .unwrap_err();
        assert!(err.to_string().contains("not a cell magic"));
    }

    #[test]
    fn completes_names_and_flags() {
        let r = registry();
        assert_eq!(
            r.complete("%ls", 3),
            Some((0, vec!["%lsmagic".to_string()]))
        );
        assert_eq!(r.complete("%%ti", 4), Some((0, vec!["%%time".to_string()])));
        let (start, flags) = r.complete("%time --", 8).unwrap();
        assert_eq!(start, 6);
        assert!(flags.contains(&"--help".to_string()), "{flags:?}");
        assert_eq!(r.complete("let x = 1;", 5), None);
    }
}
