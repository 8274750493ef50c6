//! Decoding on the cache: greedy or sampled, one token at a time, and other lines that fork
//! from the greedy one where the model was least sure of its choice.
//!
//! A small model's greedy line is often one token away from the right one ("OS" for "SS",
//! ">" for "<", the kind before the other). Forking at the steps where the best allowed token
//! led the runner-up by the least, and decoding greedily from there, finds those lines for a
//! few tokens each: the prompt's cache is kept and reused, so a fork costs its own tokens.

use super::{Decoding, Generation, Lm, Request};
use crate::model::grammar::{Grammar, GrammarState};
use crate::model::ModelError;
use ort::value::{DynValue, Tensor};
use rand::{RngExt, SeedableRng};

/// A step of a greedy decoding where another allowed token was close.
#[derive(Debug, Clone, Copy)]
struct Fork {
    /// How many tokens had been generated before the step.
    at: usize,
    /// The best allowed token after the chosen one.
    runner_up: u32,
    /// The chosen token's logit minus the runner-up's.
    margin: f32,
}

/// One decoding in progress.
struct Run<'r> {
    req: &'r Request<'r>,
    out: Vec<u32>,
    text: Vec<u8>,
    state: Option<GrammarState>,
    forks: Vec<Fork>,
    rng: Option<rand_pcg::Pcg64>,
    /// Tokens in the cache.
    total: usize,
    /// Tokens the run may still generate.
    room: usize,
}

impl<'r> Run<'r> {
    fn new(req: &'r Request<'r>, total: usize, room: usize) -> Self {
        Run {
            req,
            out: Vec::new(),
            text: Vec::new(),
            state: req.grammar.map(Grammar::start),
            forks: Vec::new(),
            rng: match req.decoding {
                Decoding::Sample { seed, .. } => Some(rand_pcg::Pcg64::seed_from_u64(seed)),
                Decoding::Greedy => None,
            },
            total,
            room,
        }
    }

    fn generation(&self, finished: bool) -> Generation {
        Generation {
            ids: self.out.clone(),
            text: String::from_utf8_lossy(&self.text).into_owned(),
            finished,
        }
    }
}

impl Lm {
    /// Generates from already tokenized prompt ids.
    pub fn generate_ids(
        &mut self,
        prompt: &[u32],
        req: &Request<'_>,
    ) -> Result<Generation, ModelError> {
        let room = self.room(prompt, req)?;
        let mut past = Vec::new();
        let logits = self.step(&wide(prompt), 0, &mut past)?;
        let mut run = Run::new(req, prompt.len(), room);
        let finished = self.run(&mut run, logits, past)?;
        Ok(run.generation(finished))
    }

    /// The greedy line for the request, and up to `forks` other finished lines, each taking
    /// the runner-up token at one of the steps where greedy decoding was least sure (smallest
    /// margin first) and going on greedily. Lines equal to an earlier one are left out. A
    /// greedy line that reached a dead end comes back unfinished when a fork ended.
    pub fn generate_forks(
        &mut self,
        req: &Request<'_>,
        forks: usize,
    ) -> Result<(Generation, Vec<Generation>), ModelError> {
        let greedy = Request {
            decoding: Decoding::Greedy,
            ..req.clone()
        };
        let prompt = self.tokens.encode(req.prompt)?;
        let room = self.room(&prompt, &greedy)?;
        let mut past = Vec::new();
        let logits = self.step(&wide(&prompt), 0, &mut past)?;
        let kept = copy(&past)?;
        let mut first = Run::new(&greedy, prompt.len(), room);
        // A greedy line that runs into a dead end of the grammar may still have forks that
        // end; only when none does is the dead end the answer.
        let (finished, dead_end) = match self.run(&mut first, logits, past) {
            Ok(f) => (f, None),
            Err(e @ ModelError::Decode(_)) => (false, Some(e)),
            Err(e) => return Err(e),
        };
        let best = first.generation(finished);
        let mut order = first.forks.clone();
        order.sort_by(|a, b| a.margin.total_cmp(&b.margin));
        let mut others: Vec<Generation> = Vec::new();
        for f in order.into_iter().take(forks) {
            let taken: Vec<u32> = first.out[..f.at]
                .iter()
                .copied()
                .chain([f.runner_up])
                .collect();
            // A fork that runs into a dead end of the grammar is no line; the others stand.
            let g = match self.fork(&greedy, (&taken, prompt.len(), room), &kept) {
                Ok(g) => g,
                Err(ModelError::Decode(_)) => continue,
                Err(e) => return Err(e),
            };
            if g.finished && g.text != best.text && others.iter().all(|o| o.text != g.text) {
                others.push(g);
            }
        }
        match dead_end {
            Some(e) if others.is_empty() => Err(e),
            _ => Ok((best, others)),
        }
    }

    /// The line that starts with the tokens `taken` after the prompt (`prompt_len` tokens,
    /// whose cache is `kept`) and goes on greedily, in `room` tokens at most.
    fn fork(
        &mut self,
        req: &Request<'_>,
        (taken, prompt_len, room): (&[u32], usize, usize),
        kept: &[DynValue],
    ) -> Result<Generation, ModelError> {
        let mut run = Run::new(req, prompt_len, room);
        if let Some(finished) = taken.iter().find_map(|&t| self.apply(&mut run, t)) {
            return Ok(run.generation(finished));
        }
        let mut past = copy(kept)?;
        let logits = self.step(&wide(taken), prompt_len, &mut past)?;
        run.total += taken.len();
        let finished = self.run(&mut run, logits, past)?;
        Ok(run.generation(finished))
    }

    /// How many tokens may follow `prompt`; an error if it leaves no room.
    fn room(&self, prompt: &[u32], req: &Request<'_>) -> Result<usize, ModelError> {
        if prompt.is_empty() {
            return Err(ModelError::Decode("empty prompt".into()));
        }
        if prompt.len() >= self.context {
            return Err(ModelError::Decode(format!(
                "the prompt is {} tokens; the model's context is {}",
                prompt.len(),
                self.context
            )));
        }
        Ok(req.max_tokens.min(self.context - prompt.len()))
    }

    /// Decodes from `logits` (the cache `past` holding everything so far) until the line
    /// ends or the run has no room; returns whether it ended on its own.
    fn run(
        &mut self,
        run: &mut Run<'_>,
        mut logits: Vec<f32>,
        mut past: Vec<DynValue>,
    ) -> Result<bool, ModelError> {
        while run.out.len() < run.room {
            let Some((choice, fork)) = self.choose(&logits, run) else {
                return Err(ModelError::Decode(
                    "no token is allowed here: the model's vocabulary cannot continue the grammar"
                        .into(),
                ));
            };
            if let Some((runner_up, margin)) = fork {
                let at = run.out.len();
                run.forks.push(Fork {
                    at,
                    runner_up,
                    margin,
                });
            }
            if let Some(finished) = self.apply(run, choice) {
                return Ok(finished);
            }
            logits = self.step(&[i64::from(choice)], run.total, &mut past)?;
            run.total += 1;
        }
        Ok(false)
    }

    /// Takes `choice` into the run; `Some(finished)` when the line is over.
    fn apply(&self, run: &mut Run<'_>, choice: u32) -> Option<bool> {
        if self.eos.contains(&choice) {
            return Some(true);
        }
        run.out.push(choice);
        let bytes = self.tokens.bytes[choice as usize]
            .clone()
            .unwrap_or_default();
        if let (Some(g), Some(s)) = (run.req.grammar, run.state) {
            if let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
                run.text.extend_from_slice(&bytes[..nl]);
                return Some(true);
            }
            run.state = g.advance(s, &run.text, &bytes);
        }
        run.text.extend_from_slice(&bytes);
        if let Some(stop) = run.req.stop {
            if let Some(at) = find(&run.text, stop.as_bytes()) {
                run.text.truncate(at);
                return Some(true);
            }
        }
        None
    }

    /// Whether the grammar lets token `id` come next in `run`.
    fn allowed(&self, run: &Run<'_>, id: usize) -> bool {
        let (Some(g), Some(s)) = (run.req.grammar, run.state) else {
            return true;
        };
        let text = &run.text;
        if self.eos.contains(&(id as u32)) {
            return g.can_end(s, text);
        }
        match self.tokens.bytes.get(id) {
            Some(Some(b)) if !b.is_empty() => match b.iter().position(|&c| c == b'\n') {
                Some(nl) => g.advance(s, text, &b[..nl]).is_some_and(|t| {
                    let mut whole = text.to_vec();
                    whole.extend_from_slice(&b[..nl]);
                    g.can_end(t, &whole)
                }),
                None => g.advance(s, text, b).is_some(),
            },
            _ => false,
        }
    }

    /// The next token among those the grammar allows: a draw when sampling, else the best,
    /// with the runner-up and the margin it lost by.
    fn choose(&self, logits: &[f32], run: &mut Run<'_>) -> Option<(u32, Option<(u32, f32)>)> {
        let c: Vec<(usize, f32)> = logits
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.allowed(run, i))
            .map(|(i, &l)| (i, l))
            .collect();
        if let (Decoding::Sample { temperature, .. }, Some(rng)) = (run.req.decoding, &mut run.rng)
        {
            let t = temperature.max(1e-3);
            let max = c.iter().map(|&(_, l)| l).fold(f32::NEG_INFINITY, f32::max);
            let w: Vec<f64> = c
                .iter()
                .map(|&(_, l)| f64::from((l - max) / t).exp())
                .collect();
            let mut r = rng.random::<f64>() * w.iter().sum::<f64>();
            for (k, &(i, _)) in c.iter().enumerate() {
                r -= w[k];
                if r <= 0.0 {
                    return Some((i as u32, None));
                }
            }
            return c.last().map(|&(i, _)| (i as u32, None));
        }
        // The higher logit wins; on a tie, the lower id.
        let better = |a: &(usize, f32), b: &(usize, f32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
        let mut best: Option<(usize, f32)> = None;
        let mut second: Option<(usize, f32)> = None;
        for x in c {
            if best.is_none_or(|b| better(&x, &b)) {
                second = best;
                best = Some(x);
            } else if second.is_none_or(|s| better(&x, &s)) {
                second = Some(x);
            }
        }
        let (b, l) = best?;
        Some((b as u32, second.map(|(s, m)| (s as u32, l - m))))
    }
}

/// Token ids as the graph's `input_ids` type.
fn wide(ids: &[u32]) -> Vec<i64> {
    ids.iter().map(|&i| i64::from(i)).collect()
}

/// A deep copy of a cache, so that a fork can start again from the prompt.
fn copy(past: &[DynValue]) -> Result<Vec<DynValue>, ModelError> {
    past.iter()
        .map(|v| {
            let (shape, data) = v.try_extract_tensor::<f32>()?;
            Ok(Tensor::from_array((shape.clone(), data.to_vec()))?.into_dyn())
        })
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}
