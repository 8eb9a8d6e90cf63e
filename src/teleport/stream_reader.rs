//! Reading the records of a Teleport session recording, one at a time.
//!
//! Why it exists: Teleport stores a session as gzip'd parts of
//! length-prefixed protobuf events (`spec/teleport.md` §1). This reader
//! streams them from any `io::Read` with flat memory — one 64 KiB input
//! buffer, the inflater's state and one reused record buffer — so that a
//! multi-gigabyte recording imports like a small one. It behaves as
//! Teleport's own `ProtoReader`: one gzip stream per part, anything after it
//! within the part is ignored, padding is skipped; and where Teleport's reader
//! would fail it stops with a [`StreamError`] after yielding every record
//! before the fault.

use std::io::{self, BufReader, Read, Take};

use flate2::bufread::GzDecoder;

use super::error::{StreamError, StreamErrorClass};
use super::part_header::{
    PartHeader, FLAG_ENCRYPTED, MAX_RECORD_LEN, RECORD_HEADER_LEN, V1_HEADER_LEN, V2_HEADER_LEN,
    VERSION_FLAGS, VERSION_PLAIN,
};

const INPUT_BUFFER: usize = 64 * 1024;
/// Decompressed bytes are read in pieces this large, so that reading a
/// 4-byte record length does not run the inflater.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// A part's decompressed body: the gzip decoder on the part's window of the
/// input, buffered.
type Decoder<R> = BufReader<GzDecoder<Take<BufReader<R>>>>;

/// Reads the records (serialized `events.OneOf` messages) of a Teleport
/// session recording.
pub struct StreamReader<R: Read> {
    state: State<R>,
    part: u64,
    part_offset: u64,
    next_part_offset: u64,
    body_offset: u64,
    next_body_offset: u64,
    parts_seen: u64,
    record: Vec<u8>,
}

enum State<R: Read> {
    /// At a part boundary.
    Between(BufReader<R>),
    /// Inside a part's gzip stream; `padding` bytes follow its window.
    InPart {
        decoder: Box<Decoder<R>>,
        padding: u64,
    },
    /// At the end, or after an error.
    Done,
}

/// Where the last record returned by [`StreamReader::next_record`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordPosition {
    /// Number of its part, from 0.
    pub part: u64,
    /// Byte offset of that part's header in the input.
    pub part_offset: u64,
    /// Byte offset of the record's length prefix in the decompressed body.
    pub body_offset: u64,
}

impl<R: Read> StreamReader<R> {
    /// A reader of `input`, positioned before the first part header.
    pub fn new(input: R) -> Self {
        StreamReader {
            state: State::Between(BufReader::with_capacity(INPUT_BUFFER, input)),
            part: 0,
            part_offset: 0,
            next_part_offset: 0,
            body_offset: 0,
            next_body_offset: 0,
            parts_seen: 0,
            record: Vec::new(),
        }
    }

    /// The next record, borrowed until the next call; `None` at the end of
    /// the input (a clean end is one before the first byte of a part
    /// header). After an error every call returns `None`.
    pub fn next_record(&mut self) -> Result<Option<&[u8]>, StreamError> {
        match self.advance() {
            Ok(true) => Ok(Some(&self.record)),
            Ok(false) => Ok(None),
            Err(error) => {
                self.state = State::Done;
                Err(error)
            }
        }
    }

    /// Where the record last returned starts.
    pub fn position(&self) -> RecordPosition {
        RecordPosition {
            part: self.part,
            part_offset: self.part_offset,
            body_offset: self.body_offset,
        }
    }

    /// Part headers read so far (empty parts included).
    pub fn parts_seen(&self) -> u64 {
        self.parts_seen
    }

    /// Reads up to the next record into `self.record`; false at the end.
    fn advance(&mut self) -> Result<bool, StreamError> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(false),
                State::Between(mut input) => {
                    let Some(header) = self.read_header(&mut input)? else {
                        return Ok(false);
                    };
                    self.parts_seen += 1;
                    self.body_offset = 0;
                    self.next_body_offset = 0;
                    if header.part_size == 0 {
                        self.skip_padding(&mut input, header.padding_size)?;
                        self.part += 1;
                        self.state = State::Between(input);
                        continue;
                    }
                    self.state = State::InPart {
                        decoder: Box::new(BufReader::with_capacity(
                            OUTPUT_BUFFER,
                            GzDecoder::new(input.take(header.part_size)),
                        )),
                        padding: header.padding_size,
                    };
                }
                State::InPart {
                    mut decoder,
                    padding,
                } => {
                    if self.read_record(&mut decoder)? {
                        self.state = State::InPart { decoder, padding };
                        return Ok(true);
                    }
                    // The gzip stream ended: Teleport ignores the rest of
                    // the part's window, then skips the padding.
                    let mut window = decoder.into_inner().into_inner();
                    io::copy(&mut window, &mut io::sink())
                        .map_err(|e| self.io_error(&e, "reading the end of the part", None))?;
                    if window.limit() > 0 {
                        return Err(self.error(
                            StreamErrorClass::Truncated,
                            None,
                            format!(
                                "the input ends {} bytes before the end of the part",
                                window.limit()
                            ),
                        ));
                    }
                    let mut input = window.into_inner();
                    self.skip_padding(&mut input, padding)?;
                    self.part += 1;
                    self.state = State::Between(input);
                }
            }
        }
    }

    /// Reads a part header; `None` at a clean end of the input.
    fn read_header(&mut self, input: &mut BufReader<R>) -> Result<Option<PartHeader>, StreamError> {
        self.part_offset = self.next_part_offset;
        let mut bytes = [0u8; V1_HEADER_LEN];
        let got = read_full(input, &mut bytes)
            .map_err(|e| self.io_error(&e, "reading a part header", None))?;
        if got == 0 {
            return Ok(None);
        }
        if got < V1_HEADER_LEN {
            return Err(self.error(
                StreamErrorClass::Truncated,
                None,
                format!("the input ends {got} bytes into a part header"),
            ));
        }
        let mut header = PartHeader::parse_v1(&bytes);
        if header.version != VERSION_PLAIN && header.version != VERSION_FLAGS {
            return Err(self.error(
                StreamErrorClass::UnsupportedVersion,
                None,
                format!("part version {} (known: 1, 2)", header.version),
            ));
        }
        if header.version == VERSION_FLAGS {
            let mut word = [0u8; V2_HEADER_LEN - V1_HEADER_LEN];
            let got = read_full(input, &mut word)
                .map_err(|e| self.io_error(&e, "reading a part header", None))?;
            if got < word.len() {
                return Err(self.error(
                    StreamErrorClass::Truncated,
                    None,
                    format!(
                        "the input ends {} bytes into a part header",
                        V1_HEADER_LEN + got
                    ),
                ));
            }
            header.flags = word[0];
            if header.flags & FLAG_ENCRYPTED != 0 {
                return Err(self.error(
                    StreamErrorClass::Encrypted,
                    None,
                    "the part is encrypted (age); only the Teleport cluster's key can decrypt it"
                        .into(),
                ));
            }
            if header.flags != 0 {
                return Err(self.error(
                    StreamErrorClass::UnsupportedVersion,
                    None,
                    format!("part flags {:#04x} (known: 0x01 encrypted)", header.flags),
                ));
            }
        }
        self.next_part_offset = self
            .part_offset
            .saturating_add(header.encoded_len() as u64)
            .saturating_add(header.part_size)
            .saturating_add(header.padding_size);
        Ok(Some(header))
    }

    /// Reads one record; false when the gzip stream ends before it.
    fn read_record(&mut self, decoder: &mut Decoder<R>) -> Result<bool, StreamError> {
        self.body_offset = self.next_body_offset;
        let mut prefix = [0u8; RECORD_HEADER_LEN];
        let got = read_full(decoder, &mut prefix).map_err(|e| self.gzip_error(&e, decoder))?;
        if got == 0 {
            return Ok(false);
        }
        let at = Some(self.body_offset);
        if got < RECORD_HEADER_LEN {
            return Err(self.error(
                StreamErrorClass::Truncated,
                at,
                format!("the part's data ends {got} bytes into a record length"),
            ));
        }
        let len = u32::from_be_bytes(prefix) as usize;
        if len == 0 || len > MAX_RECORD_LEN {
            return Err(self.error(
                StreamErrorClass::RecordLength,
                at,
                format!("record length {len} (1 to {MAX_RECORD_LEN})"),
            ));
        }
        self.record.resize(len, 0);
        let mut record = std::mem::take(&mut self.record);
        let got = read_full(decoder, &mut record);
        self.record = record;
        let got = got.map_err(|e| self.gzip_error(&e, decoder))?;
        if got < len {
            return Err(self.error(
                StreamErrorClass::Truncated,
                at,
                format!("the part's data ends {got} bytes into a record of {len}"),
            ));
        }
        self.next_body_offset += (RECORD_HEADER_LEN + len) as u64;
        Ok(true)
    }

    fn skip_padding(&mut self, input: &mut BufReader<R>, padding: u64) -> Result<(), StreamError> {
        let skipped = io::copy(&mut input.take(padding), &mut io::sink())
            .map_err(|e| self.io_error(&e, "skipping padding", None))?;
        if skipped < padding {
            return Err(self.error(
                StreamErrorClass::Truncated,
                None,
                format!("the input ends {skipped} bytes into {padding} bytes of padding"),
            ));
        }
        Ok(())
    }

    /// Classifies an error of the gzip decoder: the input ending inside the
    /// part is `truncated`; a stream that needs more than its part, or bad
    /// gzip data, is `gzip`.
    fn gzip_error(&self, error: &io::Error, decoder: &Decoder<R>) -> StreamError {
        let at = Some(self.body_offset);
        match error.kind() {
            io::ErrorKind::UnexpectedEof if decoder.get_ref().get_ref().limit() > 0 => self.error(
                StreamErrorClass::Truncated,
                at,
                "the input ends inside the part's gzip stream".into(),
            ),
            io::ErrorKind::UnexpectedEof => self.error(
                StreamErrorClass::Gzip,
                at,
                "the gzip stream does not end within the part".into(),
            ),
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => self.error(
                StreamErrorClass::Gzip,
                at,
                format!("bad gzip data: {error}"),
            ),
            _ => self.io_error(error, "reading the part", at),
        }
    }

    fn io_error(&self, error: &io::Error, what: &str, at: Option<u64>) -> StreamError {
        self.error(StreamErrorClass::Io, at, format!("{what}: {error}"))
    }

    fn error(
        &self,
        class: StreamErrorClass,
        body_offset: Option<u64>,
        detail: String,
    ) -> StreamError {
        StreamError {
            class,
            part: self.part,
            part_offset: self.part_offset,
            body_offset,
            detail,
        }
    }
}

/// Reads until `buf` is full or the input ends; returns how many bytes came.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
