//! Reading one file on several cores.
//!
//! Plain files are cut into byte ranges that start exactly at event headers, so no event spans
//! two ranges and each worker runs the ordinary reader on its range. Results are merged in file
//! order, which keeps feature rows ordered and reports the same first error a sequential read
//! would. Gzip cannot be entered mid-stream, so there one thread decompresses while another
//! parses.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use super::error::{Error, ErrorKind, ReadReport};
use super::line;
use super::reader::{no_events, Mode, Reader};
use super::row::Line;
use super::source::{self, ChannelReader, Source};
use crate::event::Event;
use crate::merge::Merge;

/// Below this size a single thread wins: thread start-up and boundary scans cost more.
const MIN_PARALLEL_BYTES: u64 = 8 << 20;
const MIN_CHUNK: u64 = 4 << 20;
const MAX_CHUNK: u64 = 64 << 20;

/// Folds every event of `path` into a state, using up to `threads` cores, and returns the
/// merged state with the read report.
///
/// `init` makes an empty state per chunk; `fold` adds one event; chunk states are merged in
/// file order with [`Merge`]. In parallel chunks after the first, [`Event::line`] is 0 because
/// absolute line numbers are only known after earlier chunks finish (errors are corrected and
/// always carry the true line).
///
/// ```no_run
/// use collm_analysis::prelude::*;
/// let (n_muons, report) = lhco::par_fold("events.lhco", Mode::Strict, 2, || 0u64, |n, ev| {
///     *n += ev.muons().count() as u64;
/// })?;
/// println!("{n_muons} muons in {} events", report.events);
/// # Ok::<(), collm_analysis::lhco::Error>(())
/// ```
pub fn par_fold<S, I, F>(
    path: impl AsRef<Path>,
    mode: Mode,
    threads: usize,
    init: I,
    fold: F,
) -> Result<(S, ReadReport), Error>
where
    S: Merge + Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Event) + Sync,
{
    let path = path.as_ref();
    let folder = Closures { init, fold };
    let reader = Reader::open(path, mode)?;
    let name: Arc<str> = Arc::from(reader.name());
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if threads <= 1 || (!reader.is_gzip() && size < MIN_PARALLEL_BYTES) {
        return folder.read(reader);
    }
    drop(reader);
    if source::open(path).map(|s| s.gzip).unwrap_or(false) {
        return pipelined(path, name, mode, &folder);
    }
    chunked(path, name, mode, threads, size, &folder)
}

/// A folded state with the report of the events that went into it.
type Folded<S> = Result<(S, ReadReport), Error>;

/// What every read strategy does with events, whatever the caller's closures are: the
/// strategies are written once against this rather than repeating the closures' bounds.
trait Fold: Sync {
    /// The caller's accumulator, merged across chunks in file order.
    type State: Merge + Send;
    /// An empty state for one chunk.
    fn init(&self) -> Self::State;
    /// Adds one event to a state.
    fn fold(&self, state: &mut Self::State, ev: &Event);

    /// Folds every event of `reader` into a fresh state.
    fn read(&self, reader: Reader) -> Folded<Self::State> {
        let mut state = self.init();
        let report = reader.for_each(|ev| self.fold(&mut state, ev))?;
        Ok((state, report))
    }
}

/// The `init` and `fold` closures given to [`par_fold`].
struct Closures<I, F> {
    init: I,
    fold: F,
}

impl<S, I, F> Fold for Closures<I, F>
where
    S: Merge + Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Event) + Sync,
{
    type State = S;
    #[inline]
    fn init(&self) -> S {
        (self.init)()
    }
    #[inline]
    fn fold(&self, state: &mut S, ev: &Event) {
        (self.fold)(state, ev)
    }
}

fn open_error(name: &Arc<str>, e: io::Error) -> Error {
    Error {
        file: name.clone(),
        line: 0,
        kind: ErrorKind::Open(e.to_string()),
        text: String::new(),
    }
}

/// Gzip: a decompression thread feeds fixed-size blocks through a bounded channel, and spent
/// blocks come back for reuse, so memory stays at a few blocks whatever the file size.
fn pipelined<T: Fold>(path: &Path, name: Arc<str>, mode: Mode, folder: &T) -> Folded<T::State> {
    const BLOCK: usize = 1 << 20;
    let Source { mut read, .. } = source::open(path).map_err(|e| open_error(&name, e))?;
    let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
    let (recycle_tx, recycle_rx) = mpsc::sync_channel::<Vec<u8>>(8);
    std::thread::scope(|scope| {
        scope.spawn(move || loop {
            let mut block = recycle_rx.try_recv().unwrap_or_default();
            block.resize(BLOCK, 0);
            let mut filled = 0;
            let status = loop {
                match read.read(&mut block[filled..]) {
                    Ok(0) => break Ok(true),
                    Ok(n) => {
                        filled += n;
                        if filled == BLOCK {
                            break Ok(false);
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            block.truncate(filled);
            let sent = match status {
                Ok(at_end) => {
                    let ok = filled == 0 || tx.send(Ok(block)).is_ok();
                    ok && !at_end
                }
                Err(e) => {
                    if filled > 0 {
                        let _ = tx.send(Ok(block));
                    }
                    let _ = tx.send(Err(e));
                    false
                }
            };
            if !sent {
                break;
            }
        });
        let channel = ChannelReader {
            blocks: rx,
            recycle: recycle_tx,
            current: Vec::new(),
            pos: 0,
        };
        let src = Source {
            read: Box::new(channel),
            gzip: true,
        };
        folder.read(Reader::from_source(name, src, mode))
    })
}

fn chunked<T: Fold>(
    path: &Path,
    name: Arc<str>,
    mode: Mode,
    threads: usize,
    size: u64,
    folder: &T,
) -> Folded<T::State> {
    let chunk = (size / (threads as u64 * 8)).clamp(MIN_CHUNK, MAX_CHUNK);
    let n_chunks = size.div_ceil(chunk) as usize;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Folded<T::State>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, name) = (&next, &stop, name.clone());
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= n_chunks || stop.load(Ordering::Relaxed) {
                    break;
                }
                let result = run_chunk(path, &name, mode, k, chunk, size, folder);
                if tx.send((k, result)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut acc = folder.init();
        let mut report = ReadReport::default();
        let mut merged = 0;
        for (k, result) in rx {
            pending.insert(k, result);
            while let Some(result) = pending.remove(&merged) {
                match result {
                    Ok((state, part)) => {
                        acc.merge(state);
                        report.absorb(&part);
                    }
                    Err(mut e) => {
                        stop.store(true, Ordering::Relaxed);
                        e.line += report.lines;
                        return Err(e);
                    }
                }
                merged += 1;
            }
        }
        if report.events == 0 {
            return Err(no_events(name.clone(), &report));
        }
        Ok((acc, report))
    })
}

fn run_chunk<T: Fold>(
    path: &Path,
    name: &Arc<str>,
    mode: Mode,
    k: usize,
    chunk: u64,
    size: u64,
    folder: &T,
) -> Folded<T::State> {
    let mut file = File::open(path).map_err(|e| open_error(name, e))?;
    let start = boundary(&mut file, k as u64 * chunk, size).map_err(|e| open_error(name, e))?;
    let end = boundary(&mut file, (k as u64 + 1) * chunk, size).map_err(|e| open_error(name, e))?;
    if start >= end {
        return Ok((folder.init(), ReadReport::default()));
    }
    file.seek(SeekFrom::Start(start))
        .map_err(|e| open_error(name, e))?;
    let src = Source {
        read: Box::new(file.take(end - start)),
        gzip: false,
    };
    let mut reader = Reader::from_source(name.clone(), src, mode);
    reader.require_events = false;
    reader.relative_lines = k > 0;
    folder.read(reader)
}

/// The offset of the first event header line starting at or after `offset` (the file size if
/// there is none), so chunks split exactly between events.
fn boundary(file: &mut File, offset: u64, size: u64) -> io::Result<u64> {
    if offset == 0 {
        // The first chunk starts after a byte-order mark, as the streaming reader does.
        let mut head = [0u8; 3];
        file.seek(SeekFrom::Start(0))?;
        let bom = file.read_exact(&mut head).is_ok() && head == source::BOM;
        return Ok(if bom { 3 } else { 0 }.min(size));
    }
    if offset >= size {
        return Ok(size);
    }
    // Start one byte early: if that byte is a newline, `offset` itself begins a line.
    let mut at = offset - 1;
    file.seek(SeekFrom::Start(at))?;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut block = vec![0u8; 1 << 16];
    let mut skipped_partial = false;
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            return Ok(size);
        }
        buf.extend_from_slice(&block[..n]);
        let mut pos = 0;
        while let Some(nl) = buf[pos..].iter().position(|&b| b == b'\n') {
            let line_end = pos + nl;
            if skipped_partial {
                if let Ok((Line::Header { .. }, _)) = line::parse_line(&buf[..=line_end], pos) {
                    return Ok(at + pos as u64);
                }
            }
            skipped_partial = true;
            pos = line_end + 1;
        }
        buf.drain(..pos);
        at += pos as u64;
    }
}
