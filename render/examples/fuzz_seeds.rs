//! Writes the seeds of the `render` fuzz target (`fuzz/render_checks.rs`
//! says their layout) to `fuzz/seeds/render/`: a small RemoteFX, QOIZ and
//! bitmap session each as a recording, and as a bare sequence of fast-path
//! PDUs.
//!
//! `cargo run --example fuzz_seeds --features synth`

use tdpr_render::synth::{write_session, Codec, SessionOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/render");
    std::fs::create_dir_all(&dir)?;
    for codec in Codec::ALL {
        let options = SessionOptions {
            codec,
            width: 256,
            height: 128,
            frames: 8,
            ..SessionOptions::default()
        };
        let recording = write_session(Vec::new(), &options)?;
        std::fs::write(
            dir.join(format!("{codec}-recording")),
            [&[0u8][..], &recording].concat(),
        )?;
        let mut pdus = vec![2u8];
        pdus.extend_from_slice(&256u16.to_le_bytes());
        pdus.extend_from_slice(&128u16.to_le_bytes());
        let parsed = tdpr::Recording::parse(&recording)?;
        let mut inflater = tdpr::Inflater::default();
        for record in parsed.records() {
            for frame in record?.frames(&mut inflater)? {
                let message = frame.message;
                let pdu = match tdpr::tdp::decode_any(message)?.0 {
                    tdpr::tdp::AnyMessage::Tdp(tdpr::tdp::Message::RdpFastPathPdu { pdu }) => {
                        pdu.into_owned()
                    }
                    tdpr::tdp::AnyMessage::Tdpb(frame) => match frame.payload() {
                        Some(tdpr::tdp::tdpb::Payload::FastPathPdu(pdu)) => pdu.pdu.clone(),
                        _ => continue,
                    },
                    _ => continue,
                };
                pdus.extend_from_slice(&(pdu.len() as u16).to_le_bytes());
                pdus.extend_from_slice(&pdu);
            }
        }
        std::fs::write(dir.join(format!("{codec}-pdus")), pdus)?;
    }
    Ok(())
}
