//! Input history for `history_request`.

use serde_json::{json, Value};

/// One executed cell.
#[derive(Debug, Clone)]
struct Entry {
    line: u64,
    input: String,
    output: Option<String>,
}

/// The cells executed in this kernel session, in order.
#[derive(Debug, Default)]
pub struct History {
    session: u64,
    entries: Vec<Entry>,
}

impl History {
    /// History for session number `session`.
    pub fn new(session: u64) -> History {
        History {
            session,
            entries: Vec::new(),
        }
    }

    /// Records a cell under its execution count.
    pub fn push(&mut self, line: u64, input: &str, output: Option<String>) {
        self.entries.push(Entry {
            line,
            input: input.to_string(),
            output,
        });
    }

    fn row(&self, e: &Entry, output: bool) -> Value {
        if output {
            json!([self.session, e.line, [e.input, e.output]])
        } else {
            json!([self.session, e.line, e.input])
        }
    }

    /// Answers a `history_request` content with the `history` list.
    pub fn query(&self, req: &Value) -> Value {
        let output = req.get("output").and_then(Value::as_bool).unwrap_or(false);
        let n = req.get("n").and_then(Value::as_u64).map(|n| n as usize);
        let rows: Vec<&Entry> = match req.get("hist_access_type").and_then(Value::as_str) {
            Some("tail") => {
                let n = n.unwrap_or(10);
                self.entries
                    .iter()
                    .skip(self.entries.len().saturating_sub(n))
                    .collect()
            }
            Some("range") => {
                let session = req.get("session").and_then(Value::as_i64).unwrap_or(0);
                let start = req.get("start").and_then(Value::as_u64).unwrap_or(0);
                let stop = req.get("stop").and_then(Value::as_u64);
                let here = session == 0 || session == self.session as i64 || session < 0;
                self.entries
                    .iter()
                    .filter(|e| here && e.line >= start && stop.is_none_or(|s| e.line < s))
                    .collect()
            }
            Some("search") => {
                let pattern = req.get("pattern").and_then(Value::as_str).unwrap_or("*");
                let unique = req.get("unique").and_then(Value::as_bool).unwrap_or(false);
                let mut hits: Vec<&Entry> = Vec::new();
                for e in self.entries.iter().rev() {
                    if glob_match(pattern, &e.input)
                        && !(unique && hits.iter().any(|h| h.input == e.input))
                    {
                        hits.push(e);
                    }
                }
                hits.reverse();
                let keep = n.unwrap_or(hits.len());
                hits.split_off(hits.len().saturating_sub(keep))
            }
            _ => Vec::new(),
        };
        Value::Array(rows.into_iter().map(|e| self.row(e, output)).collect())
    }
}

/// IPython-style glob: `*` any run, `?` one character, whole-string match.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> History {
        let mut h = History::new(3);
        h.push(1, "1+1", Some("2".into()));
        h.push(2, "let a = 5;", None);
        h.push(3, "1+1", Some("2".into()));
        h
    }

    #[test]
    fn tail_returns_last_n_in_order() {
        let rows = sample().query(&json!({"hist_access_type": "tail", "n": 2}));
        assert_eq!(rows, json!([[3, 2, "let a = 5;"], [3, 3, "1+1"]]));
    }

    #[test]
    fn tail_with_output_pairs_input_and_output() {
        let rows = sample().query(&json!({"hist_access_type": "tail", "n": 1, "output": true}));
        assert_eq!(rows, json!([[3, 3, ["1+1", "2"]]]));
    }

    #[test]
    fn range_is_half_open() {
        let rows = sample()
            .query(&json!({"hist_access_type": "range", "session": 3, "start": 2, "stop": 3}));
        assert_eq!(rows, json!([[3, 2, "let a = 5;"]]));
    }

    #[test]
    fn search_unique_and_n() {
        let h = sample();
        let all = h.query(&json!({"hist_access_type": "search", "pattern": "1+*"}));
        assert_eq!(all.as_array().unwrap().len(), 2);
        let unique =
            h.query(&json!({"hist_access_type": "search", "pattern": "1+*", "unique": true}));
        assert_eq!(unique, json!([[3, 3, "1+1"]]));
        let one = h.query(&json!({"hist_access_type": "search", "pattern": "*", "n": 1}));
        assert_eq!(one, json!([[3, 3, "1+1"]]));
    }

    #[test]
    fn glob_rules() {
        assert!(glob_match("a*c", "abbbc"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "abbc"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("abc", "abcd"));
    }
}
