//! RDP fast-path updates, drawn by IronRDP's fast-path processor, the same
//! decoder Teleport's browser client runs.
//!
//! Before IronRDP sees an update, this module puts it through a gate of its
//! own, for three reasons:
//!
//! - **Bounded memory.** Fragments are reassembled here, up to
//!   [`MAX_UPDATE_LEN`]; a QOI image must state the size of its destination
//!   before it is decoded, and a QOIZ update may not inflate past what such
//!   an image can take. IronRDP would otherwise grow a fragment chain, a zstd
//!   output or a QOI buffer as far as the input claims.
//! - **Starting at a keyframe.** A keyframe holds pixels, not decoder state.
//!   What a fast-path stream carries from one update to the next is the
//!   RemoteFX header (channel size and entropy coder, sent once per
//!   connection), the pointer cache and palette, and the QOIZ zstd stream
//!   (one stream per connection). [`FastPath::prime`] rebuilds exactly that
//!   from the updates before a keyframe without drawing them: it keeps the
//!   last RemoteFX header (and hands it to IronRDP before the next RemoteFX
//!   update), feeds pointer and palette updates, and inflates QOIZ payloads
//!   without decoding them. QOIZ is inflated here, and IronRDP is handed the
//!   plain QOI image, so that the stream can be advanced without decoding.
//! - **Nothing unseen.** Every update the renderer cannot draw is named in the
//!   error it returns (IronRDP logs some failures and moves on).
//!
//! IronRDP is then handed each update whole, as one update per PDU,
//! fragmented again when it is long. IronRDP draws into a `DecodedImage` of
//! its own; the rectangles it reports are copied to the screen. Pixels the
//! screen got from elsewhere (PNG tiles, a keyframe) are copied into that
//! image before IronRDP next draws, so the two never disagree.

use std::sync::Arc;

use ironrdp_core::{decode_cursor, encode_buf, ReadCursor, WriteBuf};
use ironrdp_graphics::image_processing::PixelFormat;
use ironrdp_pdu::bitmap::BitmapUpdateData;
use ironrdp_pdu::fast_path::{
    EncryptionFlags, FastPathHeader, FastPathUpdate, FastPathUpdatePdu, Fragmentation, UpdateCode,
};
use ironrdp_pdu::geometry::ExclusiveRectangle;
use ironrdp_pdu::rdp::capability_sets::{
    CodecId, CODEC_ID_NONE, CODEC_ID_QOI, CODEC_ID_QOIZ, CODEC_ID_REMOTEFX,
};
use ironrdp_pdu::surface_commands::{ExtendedBitmapDataPdu, SurfaceBitsPdu, SurfaceCommand};
use ironrdp_session::fast_path::{Processor, ProcessorBuilder, UpdateKind};
use ironrdp_session::image::DecodedImage;

use crate::pointer::{Pointer, PointerImage, PointerShape};
use crate::Rect;

/// The longest update (after reassembly of its fragments) the renderer
/// accepts: 64 MiB, the format's record-length limit.
pub const MAX_UPDATE_LEN: usize = 64 << 20;

/// Data a fast-path PDU carries at most in one update, as IronRDP's server
/// fragments them.
const MAX_FRAGMENT_LEN: usize = 16_374;

/// The codec ids IronRDP's decoder and server use on the wire
/// (`CodecId` does not expose its byte).
const RAW_CODEC_ID_NONE: u8 = 0;
const RAW_CODEC_ID_QOI: u8 = 0x0A;

/// RemoteFX block types (MS-RDPRFX 2.2.2.1.1).
const RFX_SYNC: u16 = 0xCCC0;
/// A RemoteFX header is the sync block and the three blocks after it
/// (codec versions, channels, context, in any order).
const RFX_HEADER_BLOCKS: usize = 4;

/// Whether updates are drawn, or only their decoder state is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Draw,
    Prime,
}

/// The decoder of one RDP connection's fast-path updates.
pub(crate) struct FastPath {
    processor: Processor,
    image: DecodedImage,
    /// Screen pixels changed outside this decoder since it last drew.
    stale: Option<Rect>,
    /// A fragmented update being reassembled.
    pending: Option<(UpdateCode, Vec<u8>)>,
    qoiz: zstd_safe::DCtx<'static>,
    /// The last RemoteFX header seen, and whether IronRDP still lacks it
    /// (after priming).
    rfx_header: Option<Vec<u8>>,
    rfx_header_pending: bool,
    pdu: WriteBuf,
    inflated: Vec<u8>,
    /// IronRDP panicked: its state is unknown.
    broken: bool,
}

/// The RGBA screen a decoder draws onto.
pub(crate) struct Target<'s> {
    pub pixels: &'s mut [u8],
    pub width: u32,
    pub height: u32,
    pub pointer: &'s mut Pointer,
}

impl FastPath {
    /// A decoder for a new connection whose screen is `width` × `height`.
    pub fn new(width: u32, height: u32, io_channel_id: u16, user_channel_id: u16) -> Self {
        FastPath {
            processor: ProcessorBuilder {
                io_channel_id,
                user_channel_id,
                share_id: 0,
                enable_server_pointer: true,
                pointer_software_rendering: false,
            }
            .build(),
            image: DecodedImage::new(PixelFormat::RgbA32, width as u16, height as u16),
            stale: None,
            pending: None,
            qoiz: zstd_safe::DCtx::create(),
            rfx_header: None,
            rfx_header_pending: false,
            pdu: WriteBuf::new(),
            inflated: Vec::new(),
            broken: false,
        }
    }

    /// The screen changed size: IronRDP's image follows, blank (the screen
    /// is blank too).
    pub fn resize(&mut self, width: u32, height: u32) {
        self.image = DecodedImage::new(PixelFormat::RgbA32, width as u16, height as u16);
        self.stale = None;
    }

    /// Screen pixels in `area` changed outside this decoder.
    pub fn mark_stale(&mut self, area: Rect) {
        if !area.is_empty() {
            self.stale = Some(area.union_with(self.stale));
        }
    }

    /// True when IronRDP panicked: the decoder must be replaced, as after a
    /// new connection, and the screen uploaded to the new one.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// True once priming has left a RemoteFX header for the next update.
    pub fn after_priming(&mut self) {
        self.rfx_header_pending = self.rfx_header.is_some();
    }

    /// Applies one fast-path PDU: draws it (`Mode::Draw`) and returns the
    /// rectangle it changed, or only keeps its decoder state
    /// (`Mode::Prime`). Whatever it cannot draw is described in the error;
    /// the updates before it are applied.
    pub fn apply(
        &mut self,
        pdu: &[u8],
        target: &mut Target<'_>,
        mode: Mode,
        dirty: &mut Option<Rect>,
    ) -> Result<(), String> {
        let mut input = ReadCursor::new(pdu);
        let header: FastPathHeader =
            decode_cursor(&mut input).map_err(|e| format!("header: {e}"))?;
        if header.flags.contains(EncryptionFlags::ENCRYPTED) {
            return Err("the PDU is encrypted".into());
        }
        let mut first_error = None;
        while !input.is_empty() {
            let update: FastPathUpdatePdu<'_> =
                decode_cursor(&mut input).map_err(|e| format!("update header: {e}"))?;
            let result = self
                .reassemble(&update)
                .and_then(|complete| match complete {
                    Some((code, data)) => {
                        let result = self.update(code, &data, target, mode, dirty);
                        self.inflated = data; // keep the buffer
                        result
                    }
                    None => Ok(()),
                });
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Adds one update to the fragments being reassembled; returns the whole
    /// update once complete. Mirrors IronRDP: a single or first fragment
    /// drops an unfinished chain.
    fn reassemble(
        &mut self,
        update: &FastPathUpdatePdu<'_>,
    ) -> Result<Option<(UpdateCode, Vec<u8>)>, String> {
        if update
            .compression_flags
            .is_some_and(|flags| !flags.is_empty())
        {
            self.pending = None;
            return Err(format!(
                "{:?} update is bulk-compressed",
                update.update_code
            ));
        }
        let dropped = match update.fragmentation {
            Fragmentation::Single | Fragmentation::First => self.pending.take().is_some(),
            _ => false,
        };
        let mut buffer = std::mem::take(&mut self.inflated);
        let result = match update.fragmentation {
            Fragmentation::Single => {
                buffer.clear();
                buffer.extend_from_slice(update.data);
                Ok(Some((update.update_code, buffer)))
            }
            Fragmentation::First => {
                buffer.clear();
                buffer.extend_from_slice(update.data);
                self.pending = Some((update.update_code, buffer));
                Ok(None)
            }
            Fragmentation::Next | Fragmentation::Last => {
                self.inflated = buffer;
                match self.pending.as_mut() {
                    None => Err(format!(
                        "{:?} fragment without a first fragment",
                        update.update_code
                    )),
                    Some((code, _)) if *code != update.update_code => {
                        self.pending = None;
                        Err("fragments of different updates mixed".into())
                    }
                    Some((_, data)) if data.len() + update.data.len() > MAX_UPDATE_LEN => {
                        self.pending = None;
                        Err(format!(
                            "fragmented update longer than {MAX_UPDATE_LEN} bytes"
                        ))
                    }
                    Some((_, data)) => {
                        data.extend_from_slice(update.data);
                        if update.fragmentation == Fragmentation::Last {
                            Ok(self.pending.take())
                        } else {
                            Ok(None)
                        }
                    }
                }
            }
        };
        if dropped {
            return Err("an unfinished fragmented update was dropped".into());
        }
        result
    }

    /// Applies one whole update.
    fn update(
        &mut self,
        code: UpdateCode,
        data: &[u8],
        target: &mut Target<'_>,
        mode: Mode,
        dirty: &mut Option<Rect>,
    ) -> Result<(), String> {
        match (code, mode) {
            (UpdateCode::SurfaceCommands, _) => self.surface_commands(data, target, mode, dirty),
            (UpdateCode::Orders, _) => Err("drawing orders are not supported".into()),
            (UpdateCode::Synchronize, _) | (UpdateCode::Bitmap, Mode::Prime) => Ok(()),
            (UpdateCode::Bitmap, Mode::Draw) => {
                check_bitmaps(data)?;
                self.upload_stale(target)?;
                let before = *dirty;
                self.feed(code, data, target, dirty)?;
                if *dirty == before {
                    return Err("bitmap update drew nothing (IronRDP refused its bitmaps)".into());
                }
                Ok(())
            }
            (UpdateCode::CachedPointer, _) => {
                let before = target.pointer.shape.clone();
                target.pointer.shape = PointerShape::Hidden;
                self.feed(code, data, target, dirty)?;
                if !matches!(target.pointer.shape, PointerShape::Image(_)) {
                    target.pointer.shape = before;
                    return Err("a cached pointer that is not in the cache".into());
                }
                Ok(())
            }
            // Palette and pointer updates are state: applied in both modes.
            _ => self.feed(code, data, target, dirty),
        }
    }

    /// Surface commands: checked, QOIZ inflated to QOI, RemoteFX headers
    /// kept, then drawn (or, when priming, only their state kept).
    fn surface_commands(
        &mut self,
        data: &[u8],
        target: &mut Target<'_>,
        mode: Mode,
        dirty: &mut Option<Rect>,
    ) -> Result<(), String> {
        let FastPathUpdate::SurfaceCommands(commands) =
            FastPathUpdate::decode_with_code(data, UpdateCode::SurfaceCommands)
                .map_err(|e| format!("surface commands: {e}"))?
        else {
            return Err("surface commands did not decode as such".into());
        };
        let mut first_error = None;
        let mut keep = Vec::with_capacity(commands.len());
        let mut owned: Vec<Vec<u8>> = Vec::new();
        for command in &commands {
            let (SurfaceCommand::SetSurfaceBits(bits) | SurfaceCommand::StreamSurfaceBits(bits)) =
                command
            else {
                keep.push(None);
                continue;
            };
            match self.check_bits(bits, target) {
                Ok(rewritten) => {
                    if let Some(bytes) = rewritten {
                        owned.push(bytes);
                        keep.push(Some(owned.len() - 1));
                    } else {
                        keep.push(None);
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                    keep.push(Some(usize::MAX));
                }
            }
        }
        if mode == Mode::Prime {
            return first_error.map_or(Ok(()), Err);
        }
        if keep.iter().all(Option::is_none) {
            // Nothing rewritten or refused: IronRDP gets the update as it came.
            self.upload_stale(target)?;
            return self.feed(UpdateCode::SurfaceCommands, data, target, dirty);
        }
        // Re-encode the commands, with rewritten data where the gate changed it.
        let mut encoded = Vec::with_capacity(data.len());
        for (command, keep) in commands.iter().zip(&keep) {
            let bytes = match (command, keep) {
                (_, Some(usize::MAX)) => continue,
                (SurfaceCommand::SetSurfaceBits(bits), Some(i)) => {
                    encode(&SurfaceCommand::SetSurfaceBits(with_data(bits, &owned[*i])))
                }
                (SurfaceCommand::StreamSurfaceBits(bits), Some(i)) => encode(
                    &SurfaceCommand::StreamSurfaceBits(with_data(bits, &owned[*i])),
                ),
                _ => encode(command),
            }?;
            encoded.extend_from_slice(&bytes);
        }
        if !encoded.is_empty() {
            self.upload_stale(target)?;
            if let Err(e) = self.feed(UpdateCode::SurfaceCommands, &encoded, target, dirty) {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Checks one surface-bits command before IronRDP sees it; returns the
    /// data to hand IronRDP instead of the command's own, if any: QOIZ
    /// inflated to QOI (the codec id rewritten by [`with_data`]'s caller),
    /// or a RemoteFX message with the header priming kept.
    fn check_bits(
        &mut self,
        bits: &SurfaceBitsPdu<'_>,
        target: &Target<'_>,
    ) -> Result<Option<Vec<u8>>, String> {
        let d = &bits.destination;
        let (width, height) = (
            u32::from(d.right.saturating_sub(d.left)),
            u32::from(d.bottom.saturating_sub(d.top)),
        );
        let codec = bits.extended_bitmap_data.codec_id;
        let fits = width > 0
            && height > 0
            && u32::from(d.right) <= target.width
            && u32::from(d.bottom) <= target.height;
        if !fits {
            return Err(format!(
                "surface bits (codec {codec:#04x}) to {}..{} × {}..{} outside the {}×{} screen",
                d.left, d.right, d.top, d.bottom, target.width, target.height
            ));
        }
        let payload = bits.extended_bitmap_data.data;
        match CodecId::from_u8(codec) {
            Some(CODEC_ID_NONE) => Ok(None),
            Some(CODEC_ID_REMOTEFX) => {
                let starts_with_header = rfx_blocks(payload)
                    .next()
                    .is_some_and(|(kind, _, _)| kind == RFX_SYNC);
                if let Some(header) = last_rfx_header(payload) {
                    self.rfx_header = Some(header.to_vec());
                    self.rfx_header_pending = false;
                }
                if self.rfx_header_pending && !starts_with_header {
                    self.rfx_header_pending = false;
                    let header = self.rfx_header.as_deref().unwrap_or_default();
                    return Ok(Some([header, payload].concat()));
                }
                Ok(None)
            }
            Some(CODEC_ID_QOI) => check_qoi(payload, width, height).map(|()| None),
            Some(CODEC_ID_QOIZ) => {
                // A QOI image takes at most 5 bytes a pixel, plus its header and end marker.
                let cap = width as usize * height as usize * 5 + 22;
                let inflated = inflate(&mut self.qoiz, payload, cap)?;
                check_qoi(&inflated, width, height)?;
                Ok(Some(inflated))
            }
            _ => Err(format!("surface bits codec {codec:#04x} is not supported")),
        }
    }

    /// Copies the stale screen pixels into IronRDP's image, as an
    /// uncompressed 32-bit surface-bits command.
    fn upload_stale(&mut self, target: &mut Target<'_>) -> Result<(), String> {
        let Some(area) = self
            .stale
            .take()
            .map(|a| a.clip(target.width, target.height))
        else {
            return Ok(());
        };
        if area.is_empty() {
            return Ok(());
        }
        // Bottom-up rows of BGRX, as MS-RDPBCGR's uncompressed bitmaps.
        let mut bgrx = Vec::with_capacity(area.width as usize * area.height as usize * 4);
        for row in (area.y..area.y + area.height).rev() {
            let at = (row as usize * target.width as usize + area.x as usize) * 4;
            for p in target.pixels[at..at + area.width as usize * 4].chunks_exact(4) {
                bgrx.extend_from_slice(&[p[2], p[1], p[0], 255]);
            }
        }
        let command = SurfaceCommand::SetSurfaceBits(SurfaceBitsPdu {
            destination: ExclusiveRectangle {
                left: area.x as u16,
                top: area.y as u16,
                right: (area.x + area.width) as u16,
                bottom: (area.y + area.height) as u16,
            },
            extended_bitmap_data: ExtendedBitmapDataPdu {
                bpp: 32,
                codec_id: RAW_CODEC_ID_NONE,
                width: area.width as u16,
                height: area.height as u16,
                header: None,
                data: &bgrx,
            },
        });
        let mut ignored = None;
        let mut pointer = target.pointer.clone();
        let mut upload_target = Target {
            pixels: &mut [],
            width: target.width,
            height: target.height,
            pointer: &mut pointer,
        };
        self.feed(
            UpdateCode::SurfaceCommands,
            &encode(&command)?,
            &mut upload_target,
            &mut ignored,
        )
        .map_err(|e| format!("copying the screen into the decoder: {e}"))
    }

    /// Hands IronRDP one whole update, fragmented as a server would, and
    /// applies what it reports: rectangles copied to the screen, pointer
    /// changes.
    fn feed(
        &mut self,
        code: UpdateCode,
        data: &[u8],
        target: &mut Target<'_>,
        dirty: &mut Option<Rect>,
    ) -> Result<(), String> {
        let count = data.len().div_ceil(MAX_FRAGMENT_LEN).max(1);
        for (i, chunk) in data
            .chunks(MAX_FRAGMENT_LEN)
            .chain((data.is_empty()).then_some(&[][..]))
            .enumerate()
        {
            let fragmentation = fragmentation(i, count);
            let update = FastPathUpdatePdu {
                fragmentation,
                update_code: code,
                compression_flags: None,
                compression_type: None,
                data: chunk,
            };
            let header = FastPathHeader::new(
                EncryptionFlags::empty(),
                ironrdp_core::Encode::size(&update),
            );
            self.pdu.clear();
            encode_buf(&header, &mut self.pdu).map_err(|e| e.to_string())?;
            encode_buf(&update, &mut self.pdu).map_err(|e| e.to_string())?;
            let mut responses = WriteBuf::new();
            // IronRDP's decoders can panic on hostile input where overflow
            // checks are on (the `yuv` crate's RemoteFX colour conversion
            // does; release builds wrap instead): a panic is an error, and the
            // decoder, in an unknown state, is dropped (see `is_broken`).
            let (processor, image, pdu) = (&mut self.processor, &mut self.image, self.pdu.filled());
            let processed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                processor.process(image, pdu, &mut responses, &mut None)
            }));
            let kinds = match processed {
                Ok(result) => result.map_err(|e| format!("{code:?}: {e}"))?,
                Err(_) => {
                    self.broken = true;
                    return Err(format!("{code:?}: IronRDP panicked on this update"));
                }
            };
            for kind in kinds {
                self.report(kind, target, dirty);
            }
        }
        Ok(())
    }

    fn report(&self, kind: UpdateKind, target: &mut Target<'_>, dirty: &mut Option<Rect>) {
        match kind {
            UpdateKind::Region(region) => {
                let area = Rect::new(
                    u32::from(region.left),
                    u32::from(region.top),
                    u32::from(region.right.saturating_sub(region.left)) + 1,
                    u32::from(region.bottom.saturating_sub(region.top)) + 1,
                )
                .clip(target.width, target.height);
                if area.is_empty() || target.pixels.is_empty() {
                    return;
                }
                self.copy_out(area, target);
                *dirty = Some(area.union_with(*dirty));
            }
            UpdateKind::PointerHidden => target.pointer.shape = PointerShape::Hidden,
            UpdateKind::PointerDefault => target.pointer.shape = PointerShape::Default,
            UpdateKind::PointerPosition { x, y } => {
                target.pointer.position = Some((u32::from(x), u32::from(y)))
            }
            UpdateKind::PointerBitmap(bitmap) => {
                target.pointer.shape = PointerShape::Image(Arc::new(PointerImage {
                    width: u32::from(bitmap.width),
                    height: u32::from(bitmap.height),
                    hotspot_x: u32::from(bitmap.hotspot_x),
                    hotspot_y: u32::from(bitmap.hotspot_y),
                    rgba: bitmap.bitmap_data.clone(),
                }));
            }
            UpdateKind::None | UpdateKind::Orders(_) => {}
        }
    }

    /// Copies `area` of IronRDP's image to the screen, opaque.
    fn copy_out(&self, area: Rect, target: &mut Target<'_>) {
        let stride = target.width as usize * 4;
        let source = self.image.data();
        if source.len() != target.pixels.len() {
            return;
        }
        for row in area.y as usize..(area.y + area.height) as usize {
            let start = row * stride + area.x as usize * 4;
            let end = start + area.width as usize * 4;
            let dst = &mut target.pixels[start..end];
            dst.copy_from_slice(&source[start..end]);
            dst.chunks_exact_mut(4).for_each(|p| p[3] = 255);
        }
    }
}

/// Refuses a bitmap whose source is much wider than its destination: its
/// decoder allocates the source's size (up to 65535 × 8192 pixels).
fn check_bitmaps(data: &[u8]) -> Result<(), String> {
    /// Source rows are padded (to 4 pixels, or a tile's width): allow that.
    const PADDING: u32 = 64;
    let update: BitmapUpdateData<'_> =
        ironrdp_core::decode(data).map_err(|e| format!("bitmap update: {e}"))?;
    for bitmap in &update.rectangles {
        let destination =
            u32::from(bitmap.rectangle.right.saturating_sub(bitmap.rectangle.left)) + 1;
        if u32::from(bitmap.width) > destination + PADDING {
            return Err(format!(
                "a bitmap {} pixels wide for a destination {destination} wide",
                bitmap.width
            ));
        }
    }
    Ok(())
}

/// The surface bits with other data and, for inflated QOIZ, the QOI codec.
fn with_data<'d>(bits: &SurfaceBitsPdu<'_>, data: &'d [u8]) -> SurfaceBitsPdu<'d> {
    let ext = &bits.extended_bitmap_data;
    let codec_id = if CodecId::from_u8(ext.codec_id) == Some(CODEC_ID_QOIZ) {
        RAW_CODEC_ID_QOI
    } else {
        ext.codec_id
    };
    SurfaceBitsPdu {
        destination: bits.destination.clone(),
        extended_bitmap_data: ExtendedBitmapDataPdu {
            bpp: ext.bpp,
            codec_id,
            width: ext.width,
            height: ext.height,
            header: ext.header.clone(),
            data,
        },
    }
}

fn encode(command: &SurfaceCommand<'_>) -> Result<Vec<u8>, String> {
    ironrdp_core::encode_vec(command).map_err(|e| format!("re-encoding a surface command: {e}"))
}

/// A QOI image must be exactly the destination's size before it is decoded
/// (its decoder allocates what the header says).
fn check_qoi(image: &[u8], width: u32, height: u32) -> Result<(), String> {
    let header = image
        .get(..14)
        .filter(|h| h.starts_with(b"qoif"))
        .ok_or("QOI image without its header")?;
    let w = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
    let h = u32::from_be_bytes([header[8], header[9], header[10], header[11]]);
    if (w, h) != (width, height) {
        return Err(format!(
            "QOI image of {w}×{h} for a {width}×{height} destination"
        ));
    }
    Ok(())
}

/// Inflates one QOIZ payload from the connection's zstd stream, refusing
/// more than `cap` bytes.
fn inflate(
    stream: &mut zstd_safe::DCtx<'static>,
    payload: &[u8],
    cap: usize,
) -> Result<Vec<u8>, String> {
    let mut input = zstd_safe::InBuffer::around(payload);
    let mut out = vec![0u8; (payload.len().max(64) * 4).min(cap)];
    let mut pos = 0;
    loop {
        let mut output = zstd_safe::OutBuffer::around_pos(out.as_mut_slice(), pos);
        stream
            .decompress_stream(&mut output, &mut input)
            .map_err(|code| format!("QOIZ: zstd: {}", zstd_safe::get_error_name(code)))?;
        pos = output.pos();
        if pos < out.len() {
            break;
        }
        if out.len() >= cap {
            return Err(format!("QOIZ update inflates past {cap} bytes"));
        }
        out.resize((out.len() * 2).min(cap), 0);
    }
    if input.pos() < payload.len() {
        return Err("QOIZ: zstd stopped before the end of the update".into());
    }
    out.truncate(pos);
    Ok(out)
}

/// The blocks of a RemoteFX message: (type, start, end) of each, until the
/// data ends or a block's length is wrong.
fn rfx_blocks(data: &[u8]) -> impl Iterator<Item = (u16, usize, usize)> + '_ {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let rest = &data[at..];
        let kind = u16::from_le_bytes(rest.get(..2)?.try_into().ok()?);
        let len = u32::from_le_bytes(rest.get(2..6)?.try_into().ok()?) as usize;
        if len < 6 || len > rest.len() {
            return None;
        }
        let block = (kind, at, at + len);
        at += len;
        Some(block)
    })
}

/// The last RemoteFX header (sync block and the three after it) in a message.
fn last_rfx_header(data: &[u8]) -> Option<&[u8]> {
    let blocks: Vec<(u16, usize, usize)> = rfx_blocks(data).collect();
    let start = blocks.iter().rposition(|(kind, _, _)| *kind == RFX_SYNC)?;
    let (_, _, end) = blocks.get(start + RFX_HEADER_BLOCKS - 1)?;
    Some(&data[blocks[start].1..*end])
}

/// The fragmentation of piece `i` of `count` pieces of one update.
pub(crate) fn fragmentation(i: usize, count: usize) -> Fragmentation {
    match (i == 0, i + 1 == count) {
        (true, true) => Fragmentation::Single,
        (true, false) => Fragmentation::First,
        (false, false) => Fragmentation::Next,
        (false, true) => Fragmentation::Last,
    }
}
