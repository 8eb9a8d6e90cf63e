//! `tdpr thumbnails FILE --every 1m --width 320 -o DIR`: the screen at
//! regular times, scaled down, one PNG image each in DIR, named by time
//! (`00-01-00.000.png` for 0:01:00), for a timeline.

use std::path::Path;
use std::process::ExitCode;

use crate::output::write_file;
use crate::rendering::{frames_bar, open, report_undrawn};
use crate::{clock, CommandResult};

pub fn run(
    file: &Path,
    every_us: u64,
    width: u32,
    dir: &Path,
    with_pointer: bool,
) -> CommandResult {
    if every_us == 0 || width == 0 {
        return Err("--every and --width must be above 0".into());
    }
    let mapped = open(file)?;
    let recording = mapped
        .recording()
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let mut thumbnails = tdpr_render::thumbnails(&recording, every_us, width, with_pointer)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let bar = frames_bar(thumbnails.total());
    let mut written = 0u64;
    let mut sizes = std::collections::BTreeSet::new();
    for thumbnail in thumbnails.by_ref() {
        let thumbnail = thumbnail.map_err(|e| format!("{}: {e}", file.display()))?;
        let image = &thumbnail.image;
        let mut png = Vec::new();
        tdpr_render::encode_png(image.width, image.height, &image.pixels, false, &mut png)
            .map_err(|e| e.to_string())?;
        write_file(&dir.join(file_name(thumbnail.time_us)), &[file], &png)?;
        sizes.insert((image.width, image.height));
        written += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    report_undrawn(thumbnails.undrawn());
    let sizes: Vec<String> = sizes.iter().map(|(w, h)| format!("{w} × {h}")).collect();
    println!(
        "wrote {written} thumbnails ({}), one every {}, to {}",
        sizes.join(", "),
        clock(every_us),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `HH-MM-SS.mmm.png`: sorts by time, and no character a file system
/// refuses.
fn file_name(time_us: u64) -> String {
    let ms = time_us / 1_000;
    format!(
        "{:02}-{:02}-{:02}.{:03}.png",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000
    )
}
