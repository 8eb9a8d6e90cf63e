//! Writes the smallest useful recording, the worked example of the spec
//! (`spec/format.md`, "Worked example"): metadata, two TDP mouse moves 16 ms
//! apart, the index and the trailer. Prints it as hex, or writes it to the
//! path given as the first argument.

use tdpr::proto::Metadata;
use tdpr::{Batching, Compression, Writer, WriterOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let metadata = Metadata {
        user: "alice".into(),
        screen_width: 1024,
        screen_height: 768,
        ..Metadata::default()
    };
    // One frame record a message, as the worked example shows them (the
    // default would gather the two into one frame batch).
    let mut options = WriterOptions::default();
    options.compression = Compression::None;
    options.batching = Batching::None;
    let mut writer = Writer::new(Vec::new(), metadata, options)?;
    // TDP mouse move (type 3): x = 10, y = 20, big-endian u32s.
    writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;
    writer.write_frame(16_000, &[3, 0, 0, 0, 11, 0, 0, 0, 21])?;
    let bytes = writer.finish()?;
    match std::env::args_os().nth(1) {
        Some(path) => std::fs::write(path, &bytes)?,
        None => {
            for (i, line) in bytes.chunks(16).enumerate() {
                let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
                println!("{:08x}  {}", i * 16, hex.join(" "));
            }
        }
    }
    Ok(())
}
