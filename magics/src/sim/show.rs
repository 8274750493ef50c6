//! How simulation requests, quotes, balances and files look in a notebook (HTML) and in a
//! terminal (the plain-text form of the same bundle).

use collm_analysis::text::html_escape;
use collm_client::contract::{Estimate, SimulateBody};
use collm_client::{FileInfo, RequestInfo, SimulateReply, Transaction, User};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::Path;

/// A duration in the units a person plans with: "40 s", "12 min", "2 h 05 min".
pub fn eta(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s.div_ceil(60)),
        s => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// "ready in about …": the farm's ETA, which the local backend quotes too (its price formula is
/// the service's) while its own generator needs only seconds, so that is said as well.
fn ready_in(seconds: u64, local: bool) -> String {
    if local {
        format!(
            "ready in about {} on the ColliderML farm (the local generator takes seconds)",
            eta(seconds)
        )
    } else {
        format!("ready in about {}", eta(seconds))
    }
}

/// Credits with the service's three decimals.
pub fn credits(c: f64) -> String {
    format!("{c:.3}")
}

fn bundle(text: String, html: String) -> Value {
    json!({"text/plain": text, "text/html": html})
}

fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<table><thead><tr>");
    for c in head {
        let _ = write!(h, "<th>{}</th>", html_escape(c));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            let _ = write!(h, "<td>{}</td>", html_escape(c));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

fn text_table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut width: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&width)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = line(head.to_vec());
    for r in rows {
        out.push('\n');
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// The sample a body asks for, in one phrase.
pub fn sample(b: &SimulateBody) -> String {
    format!(
        "{} × {} events, pileup {}, seed {}",
        b.channel, b.events, b.pileup, b.seed
    )
}

/// A quote (from the service or the published formula) and, when known, the balance after it;
/// `local` for the embedded backend.
pub fn quote(b: &SimulateBody, e: &Estimate, balance: Option<f64>, local: bool) -> Value {
    let after = balance.map(|have| {
        if have + 1e-9 >= e.estimated_node_hours {
            format!(
                "; balance {} → {}",
                credits(have),
                credits(have - e.estimated_node_hours)
            )
        } else {
            format!(
                "; balance {}: {} short",
                credits(have),
                credits(e.estimated_node_hours - have)
            )
        }
    });
    let text = format!(
        "Quote for {}: {} credits, {}{}",
        sample(b),
        credits(e.estimated_node_hours),
        ready_in(e.estimated_completion_seconds, local),
        after.clone().unwrap_or_default()
    );
    let html = format!(
        "<b>{} credits</b> · {}{}<br><small>{}</small>",
        credits(e.estimated_node_hours),
        html_escape(&ready_in(e.estimated_completion_seconds, local)),
        html_escape(&after.unwrap_or_default()),
        html_escape(&sample(b))
    );
    bundle(text, html)
}

/// What a submission returned: the request, the charge, the ETA, a dedup note, where the
/// outputs will be; `local` for the embedded backend.
pub fn submitted(b: &SimulateBody, r: &SimulateReply, local: bool) -> Value {
    let mut lines = vec![
        format!("Request {} ({}): {}", r.request_id, r.state, sample(b)),
        if r.cached {
            format!("Charged {} credits", credits(r.credits_charged))
        } else {
            format!(
                "Charged {} credits; {}",
                credits(r.credits_charged),
                ready_in(r.estimated_completion_seconds, local)
            )
        },
    ];
    if r.cached {
        lines.push(
            "Identical to a request that already completed: served from cache, nothing charged."
                .into(),
        );
    }
    if let Some(repo) = &r.output_hf_repo {
        lines.push(format!("Outputs: {repo}"));
    }
    lines.push(if r.cached {
        format!("Download with %simulate fetch {}", r.request_id)
    } else {
        format!(
            "Follow it with %simulate status {0}; download with %simulate fetch {0}",
            r.request_id
        )
    });
    let html = lines
        .iter()
        .map(|l| html_escape(l))
        .collect::<Vec<_>>()
        .join("<br>");
    bundle(lines.join("\n"), html)
}

/// One request in full.
pub fn request(r: &RequestInfo) -> Value {
    let mut rows = vec![
        vec!["request".into(), r.id.clone()],
        vec!["state".into(), state_with_progress(r)],
        vec![
            "sample".into(),
            format!(
                "{} × {} events, pileup {}, seed {}",
                r.channel, r.events, r.pileup, r.seed
            ),
        ],
        vec![
            "estimated node-hours".into(),
            credits(r.estimated_node_hours),
        ],
        vec!["credits charged".into(), credits(r.credits_charged)],
        vec!["created".into(), r.created_at.clone()],
        vec!["updated".into(), r.updated_at.clone()],
    ];
    if let Some(h) = r.actual_node_hours {
        rows.push(vec!["actual node-hours".into(), credits(h)]);
    }
    if let Some(o) = &r.output_hf_repo {
        rows.push(vec!["outputs".into(), o.clone()]);
    }
    if let Some(e) = &r.error_message {
        rows.push(vec!["error".into(), e.clone()]);
    }
    bundle(text_table(&["", ""], &rows), table(&["", ""], &rows))
}

fn state_with_progress(r: &RequestInfo) -> String {
    match r.events_done {
        Some(done) if !r.is_terminal() => format!(
            "{} ({done}/{} events, {:.0}%)",
            r.state,
            r.events,
            100.0 * done as f64 / f64::from(r.events.max(1))
        ),
        _ => r.state.clone(),
    }
}

/// The live line of `--wait`: state, events done when the backend reports them, time waited.
pub fn progress(r: &RequestInfo, waited: std::time::Duration) -> Value {
    let text = format!(
        "Request {}: {} · waited {:.1} s",
        r.id,
        state_with_progress(r),
        waited.as_secs_f64()
    );
    let bar = match (r.events_done, r.is_terminal()) {
        (_, true) if r.state == "completed" => {
            "<progress value=\"1\" max=\"1\"></progress>".to_owned()
        }
        (Some(done), false) => format!(
            "<progress value=\"{done}\" max=\"{}\"></progress>",
            r.events
        ),
        (_, true) => String::new(),
        (None, false) => "<progress></progress>".into(),
    };
    bundle(text.clone(), format!("{bar} {}", html_escape(&text)))
}

/// Recent requests, newest first.
pub fn requests(list: &[RequestInfo]) -> Value {
    if list.is_empty() {
        let t = "No simulation requests yet. Submit one with %simulate (a form) or \
                 %simulate --channel zmumu --events 1000.";
        return bundle(t.into(), html_escape(t));
    }
    let head = [
        "request", "channel", "events", "pileup", "seed", "state", "credits", "created",
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.channel.clone(),
                r.events.to_string(),
                r.pileup.to_string(),
                r.seed.to_string(),
                state_with_progress(r),
                credits(r.credits_charged),
                r.created_at.clone(),
            ]
        })
        .collect();
    bundle(text_table(&head, &rows), table(&head, &rows))
}

/// The balance and the latest ledger entries.
pub fn balance(me: &User, recent: &[Transaction], backend: &str) -> Value {
    let mut text = format!(
        "{}: {} credits ({backend})",
        me.hf_username,
        credits(me.credits)
    );
    let mut html = format!(
        "<b>{}</b>: <b>{} credits</b> <small>({})</small>",
        html_escape(&me.hf_username),
        credits(me.credits),
        html_escape(backend)
    );
    if !recent.is_empty() {
        let head = ["when", "change", "reason"];
        let rows: Vec<Vec<String>> = recent
            .iter()
            .map(|t| {
                vec![
                    t.created_at.clone(),
                    format!("{:+.3}", t.delta),
                    t.reason.clone(),
                ]
            })
            .collect();
        text.push_str("\n\n");
        text.push_str(&text_table(&head, &rows));
        html.push_str(&table(&head, &rows));
    }
    bundle(text, html)
}

/// Downloaded files with their local paths, and how to read them.
pub fn fetched(id: &str, files: &[(FileInfo, std::path::PathBuf)], to: &Path) -> Value {
    let head = ["file", "bytes", "path"];
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|(f, p)| vec![f.name.clone(), f.bytes.to_string(), p.display().to_string()])
        .collect();
    let lhco = files
        .iter()
        .find(|(f, _)| f.name.ends_with(".lhco.gz") || f.name.ends_with(".lhco"))
        .map(|(_, p)| format!("Read it with: %lhco {}", p.display()));
    let head_line = format!("Request {id}: {} file(s) in {}", files.len(), to.display());
    let mut text = format!("{head_line}\n{}", text_table(&head, &rows));
    let mut html = format!("{}{}", html_escape(&head_line), table(&head, &rows));
    if let Some(l) = lhco {
        text.push('\n');
        text.push_str(&l);
        let _ = write!(html, "<code>{}</code>", html_escape(&l));
    }
    bundle(text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etas_read_like_a_plan() {
        assert_eq!(eta(40), "40 s");
        assert_eq!(eta(61), "2 min");
        assert_eq!(eta(1498), "25 min");
        assert_eq!(eta(4798), "1 h 19 min");
    }

    #[test]
    fn quotes_say_what_the_balance_becomes() {
        let b = SimulateBody {
            channel: collm_client::Channel::Zmumu,
            events: 100,
            pileup: 0,
            seed: 42,
        };
        let e = collm_client::contract::estimate(b.channel, 100, 0);
        let q = quote(&b, &e, Some(10.0), false);
        let t = q["text/plain"].as_str().expect("text");
        assert!(t.contains("0.833 credits"), "{t}");
        assert!(t.contains("10.000 → 9.167"), "{t}");
        let q = quote(&b, &e, Some(0.5), true);
        assert!(q["text/plain"]
            .as_str()
            .expect("text")
            .contains("0.333 short"));
        assert!(q["text/plain"]
            .as_str()
            .expect("text")
            .contains("on the ColliderML farm (the local generator takes seconds)"));
    }

    #[test]
    fn text_tables_align_columns() {
        let t = text_table(&["a", "bb"], &[vec!["ccc".into(), "d".into()]]);
        assert_eq!(t, "a    bb\nccc  d");
    }
}
