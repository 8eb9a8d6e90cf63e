//! A best-effort look inside the RDP fast-path PDU that TDP type 29 carries.
//!
//! Why it exists: since Teleport moved to RemoteFX, nearly all screen data in
//! a recording travels as raw RDP "Server Fast-Path Update PDUs" (MS-RDPBCGR
//! 2.2.9.1.2), which TDP treats as opaque bytes. Tools that summarise or
//! index recordings want to know what each PDU updates (bitmap, surface
//! commands, pointer, ...) without an RDP stack. This module reads only the
//! fast-path header and each update's header; it never fails a TDP decode:
//! anything it cannot follow simply ends the iteration.
//!
//! Layout (RDP, so multi-byte sizes here are little-endian except the
//! header length, which uses the PER-style 1-or-2-byte big-endian form):
//!
//! ```text
//! fpOutputHeader byte   : action (bits 0-1), flags (bits 6-7)
//! length1 byte          : if bit 7 set, length = (length1 & 0x7f) << 8 | length2
//! [length2 byte]
//! [dataSignature 8 bytes] if flags has FASTPATH_OUTPUT_ENCRYPTED
//! updates…              : updateHeader byte: updateCode (bits 0-3),
//!                         fragmentation (bits 4-5), compression (bits 6-7)
//!                         [compressionFlags byte] if compression == 2
//!                         size uint16 little-endian, then size bytes of data
//! ```

use std::fmt;

/// `fpOutputHeader.action` value for a fast-path PDU.
const FASTPATH_OUTPUT_ACTION_FASTPATH: u8 = 0;
/// `fpOutputHeader.flags` bit: the updates are encrypted.
const FASTPATH_OUTPUT_ENCRYPTED: u8 = 0x2;
/// `updateHeader.compression` value meaning a compressionFlags byte follows.
const FASTPATH_OUTPUT_COMPRESSION_USED: u8 = 0x2;

/// The fast-path output header of a PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastPathHeader {
    /// `flags` (2 bits): 0x1 secure checksum, 0x2 encrypted.
    pub flags: u8,
    /// Total PDU length the header states, header included.
    pub length: u16,
    /// Bytes the header takes (2 or 3, plus 8 for a data signature).
    pub header_len: usize,
}

impl FastPathHeader {
    /// Whether the updates are encrypted (and so cannot be looked into).
    pub fn is_encrypted(&self) -> bool {
        self.flags & FASTPATH_OUTPUT_ENCRYPTED != 0
    }
}

/// Fast-path update type (`updateCode`, MS-RDPBCGR 2.2.9.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FastPathUpdateCode(pub u8);

/// The constants are MS-RDPBCGR's `FASTPATH_UPDATETYPE_*` values.
#[allow(missing_docs)]
impl FastPathUpdateCode {
    pub const ORDERS: Self = Self(0x0);
    pub const BITMAP: Self = Self(0x1);
    pub const PALETTE: Self = Self(0x2);
    pub const SYNCHRONIZE: Self = Self(0x3);
    pub const SURFACE_COMMANDS: Self = Self(0x4);
    pub const POINTER_HIDDEN: Self = Self(0x5);
    pub const POINTER_DEFAULT: Self = Self(0x6);
    pub const POINTER_POSITION: Self = Self(0x8);
    pub const COLOR_POINTER: Self = Self(0x9);
    pub const CACHED_POINTER: Self = Self(0xa);
    pub const NEW_POINTER: Self = Self(0xb);
    pub const LARGE_POINTER: Self = Self(0xc);

    /// Name of the update type as MS-RDPBCGR spells it, if it defines one.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::ORDERS => "FASTPATH_UPDATETYPE_ORDERS",
            Self::BITMAP => "FASTPATH_UPDATETYPE_BITMAP",
            Self::PALETTE => "FASTPATH_UPDATETYPE_PALETTE",
            Self::SYNCHRONIZE => "FASTPATH_UPDATETYPE_SYNCHRONIZE",
            Self::SURFACE_COMMANDS => "FASTPATH_UPDATETYPE_SURFCMDS",
            Self::POINTER_HIDDEN => "FASTPATH_UPDATETYPE_PTR_NULL",
            Self::POINTER_DEFAULT => "FASTPATH_UPDATETYPE_PTR_DEFAULT",
            Self::POINTER_POSITION => "FASTPATH_UPDATETYPE_PTR_POSITION",
            Self::COLOR_POINTER => "FASTPATH_UPDATETYPE_COLOR",
            Self::CACHED_POINTER => "FASTPATH_UPDATETYPE_CACHED",
            Self::NEW_POINTER => "FASTPATH_UPDATETYPE_POINTER",
            Self::LARGE_POINTER => "FASTPATH_UPDATETYPE_LARGE_POINTER",
            _ => return None,
        })
    }
}

impl fmt::Display for FastPathUpdateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "fast-path update type {:#x}", self.0),
        }
    }
}

/// One update (TS_FP_UPDATE) inside a fast-path PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastPathUpdate<'a> {
    /// What the update is.
    pub code: FastPathUpdateCode,
    /// 0 single, 1 last, 2 first, 3 next fragment.
    pub fragmentation: u8,
    /// The header's compression bits (2: a compressionFlags byte follows).
    pub compression: u8,
    /// The compressionFlags byte, when the update says one is present.
    pub compression_flags: Option<u8>,
    /// The update data (`size` bytes).
    pub data: &'a [u8],
}

/// Iterator over the updates of one fast-path PDU. Stops at the end of the
/// PDU or at the first update whose header does not fit;
/// [`unparsed`](Self::unparsed) then tells what was left.
#[derive(Debug, Clone)]
pub struct FastPathUpdates<'a> {
    header: Option<FastPathHeader>,
    rest: &'a [u8],
}

impl<'a> FastPathUpdates<'a> {
    /// Reads the header of `pdu` (a whole fast-path PDU, header included).
    pub fn new(pdu: &'a [u8]) -> Self {
        match parse_header(pdu) {
            Some(header) if !header.is_encrypted() => {
                let end = usize::from(header.length).clamp(header.header_len, pdu.len());
                FastPathUpdates {
                    header: Some(header),
                    rest: pdu.get(header.header_len..end).unwrap_or_default(),
                }
            }
            header => FastPathUpdates { header, rest: &[] },
        }
    }

    /// The PDU's fast-path header, if the PDU starts with one.
    pub fn header(&self) -> Option<FastPathHeader> {
        self.header
    }

    /// Bytes not (yet) walked: empty once every update was read.
    pub fn unparsed(&self) -> &'a [u8] {
        self.rest
    }
}

impl<'a> Iterator for FastPathUpdates<'a> {
    type Item = FastPathUpdate<'a>;

    fn next(&mut self) -> Option<FastPathUpdate<'a>> {
        let (&update_header, after_header) = self.rest.split_first()?;
        let compression = update_header >> 6;
        let (compression_flags, after_flags) = if compression == FASTPATH_OUTPUT_COMPRESSION_USED {
            let (&flags, rest) = after_header.split_first()?;
            (Some(flags), rest)
        } else {
            (None, after_header)
        };
        let size_bytes: [u8; 2] = after_flags.get(..2)?.try_into().ok()?;
        let size = usize::from(u16::from_le_bytes(size_bytes));
        let data = after_flags.get(2..2 + size)?;
        self.rest = &after_flags[2 + size..];
        Some(FastPathUpdate {
            code: FastPathUpdateCode(update_header & 0x0f),
            fragmentation: (update_header >> 4) & 0x3,
            compression,
            compression_flags,
            data,
        })
    }
}

fn parse_header(pdu: &[u8]) -> Option<FastPathHeader> {
    let (&output_header, rest) = pdu.split_first()?;
    if output_header & 0x3 != FASTPATH_OUTPUT_ACTION_FASTPATH {
        return None;
    }
    let flags = output_header >> 6;
    let (&length1, rest) = rest.split_first()?;
    let (length, mut header_len) = if length1 & 0x80 != 0 {
        let &length2 = rest.first()?;
        (u16::from(length1 & 0x7f) << 8 | u16::from(length2), 3)
    } else {
        (u16::from(length1), 2)
    };
    if flags & FASTPATH_OUTPUT_ENCRYPTED != 0 {
        header_len += 8;
    }
    Some(FastPathHeader {
        flags,
        length,
        header_len,
    })
}
