//! `tdpr thumbnails FILE --every 1m --width 320 -o DIR`: the screen at
//! regular times, scaled down, one PNG image each in DIR, named by time
//! (`00-01-00.000.png` for 0:01:00), for a timeline. The recording is
//! played once from its start; an object named by URL is read by range as
//! it plays, never copied whole.

use std::io::Write;
use std::path::Path;

use tdpr::read::RecordSource;
use tdpr_render::Thumbnails;
use tdpr_store::ObjectSource;

use crate::info_index::open_by_range;
use crate::input::{unreachable, Input};
use crate::output::{self, Output};
use crate::print;
use crate::rendering::{frames_bar, render_failure, report_undrawn};
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(
    file: &Path,
    every_us: u64,
    width: u32,
    dir: &Path,
    with_pointer: bool,
) -> CommandResult {
    if every_us == 0 || width == 0 {
        return Err(Failure::CannotRun(
            "--every and --width must be above 0".into(),
        ));
    }
    let input = Input::new(file)?;
    output::refuse_url(dir)?;
    let failure = |e: &tdpr_render::RenderError| render_failure(&input, e);
    match input.location() {
        Some(location) => {
            let source = ObjectSource::new(location).map_err(unreachable)?;
            let recording = open_by_range(&input, &source)?;
            let thumbnails = tdpr_render::thumbnails(&recording, every_us, width, with_pointer)
                .map_err(|e| failure(&e))?;
            write_thumbnails(&input, thumbnails, every_us, dir)
        }
        None => {
            let mapped = input.recording()?;
            let recording = mapped
                .recording()
                .map_err(|e| Failure::InvalidInput(format!("{}: {e}", input.name())))?;
            let thumbnails = tdpr_render::thumbnails(&recording, every_us, width, with_pointer)
                .map_err(|e| failure(&e))?;
            write_thumbnails(&input, thumbnails, every_us, dir)
        }
    }
}

/// Writes each thumbnail into `dir` as it is drawn.
fn write_thumbnails<R: RecordSource>(
    input: &Input,
    mut thumbnails: Thumbnails<R>,
    every_us: u64,
    dir: &Path,
) -> CommandResult {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::CannotWrite(format!("cannot create {}: {e}", dir.display())))?;
    let bar = frames_bar(thumbnails.total());
    let mut written = 0u64;
    let mut sizes = std::collections::BTreeSet::new();
    let mut png = Vec::new();
    for thumbnail in thumbnails.by_ref() {
        let thumbnail = thumbnail.map_err(|e| render_failure(input, &e))?;
        let image = &thumbnail.image;
        png.clear();
        tdpr_render::encode_png(image.width, image.height, &image.pixels, false, &mut png)
            .map_err(|e| render_failure(input, &e))?;
        let mut output = Output::create(&dir.join(file_name(thumbnail.time_us)), &[input])?;
        let target = output.target();
        output
            .write_all(&png)
            .map_err(|e| target.write_failure(&e))?;
        output.commit()?;
        sizes.insert((image.width, image.height));
        written += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    report_undrawn(thumbnails.undrawn());
    let sizes: Vec<String> = sizes.iter().map(|(w, h)| format!("{w} × {h}")).collect();
    print::err(&format!(
        "wrote {written} thumbnails ({}), one every {}, to {}\n",
        sizes.join(", "),
        clock(every_us),
        dir.display()
    ));
    Ok(Status::Success)
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
