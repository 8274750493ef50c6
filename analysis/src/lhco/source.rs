//! Opening inputs: plain or gzip (detected by magic bytes or a `.gz` name), and the channel
//! adapter that lets decompression run on its own thread.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};

use flate2::read::MultiGzDecoder;

/// An opened input plus what the reader needs to know about it.
pub(crate) struct Source {
    pub read: Box<dyn Read + Send>,
    pub gzip: bool,
}

/// The UTF-8 byte-order mark some editors put at the start of a text file. It is not part of
/// the first line, so it is dropped rather than read as a broken event header.
pub(crate) const BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// Opens `path`, wrapping it in a gzip decoder when the first two bytes are the gzip magic or
/// the name ends in `.gz` (so a garbage `.gz` file fails as a gzip error instead of being read
/// as text and yielding nothing). A plain file's byte-order mark is skipped.
pub(crate) fn open(path: &Path) -> io::Result<Source> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 3];
    let mut got = 0;
    while got < magic.len() {
        match file.read(&mut magic[got..])? {
            0 => break,
            n => got += n,
        }
    }
    let named_gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let gzip = named_gz || magic[..got].starts_with(&[0x1f, 0x8b]);
    let kept = if !gzip && magic == BOM { 0 } else { got };
    let head = io::Cursor::new(magic[..kept].to_vec());
    let raw = head.chain(file);
    let read: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(1 << 16, raw)))
    } else {
        Box::new(raw)
    };
    Ok(Source { read, gzip })
}

/// A `Read` fed by blocks from another thread, so one core decompresses while another parses.
/// Empty blocks are returned to the producer for reuse, keeping memory flat.
pub(crate) struct ChannelReader {
    pub blocks: Receiver<io::Result<Vec<u8>>>,
    pub recycle: SyncSender<Vec<u8>>,
    pub current: Vec<u8>,
    pub pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            match self.blocks.recv() {
                Ok(Ok(block)) => {
                    let old = std::mem::replace(&mut self.current, block);
                    // The producer may have finished; a failed send only drops a spare buffer.
                    let _ = self.recycle.try_send(old);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.current.len() - self.pos);
        out[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
