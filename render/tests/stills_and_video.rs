//! Snapshots, thumbnails and video show the screen the recording describes.

use tdpr::Recording;
use tdpr_render::synth::{write_session, Codec, SessionOptions};
use tdpr_render::{export_apng, insert_keyframes, snapshot, thumbnails, VideoFrames, VideoOptions};

fn qoiz_session() -> (SessionOptions, Vec<u8>) {
    let options = SessionOptions {
        codec: Codec::Qoiz,
        frames: 12,
        ..SessionOptions::default()
    };
    let bytes = write_session(Vec::new(), &options).unwrap();
    (
        options,
        insert_keyframes(&bytes, 300_000, Vec::new()).unwrap().0,
    )
}

#[test]
fn a_snapshot_is_the_source_image_with_or_without_the_pointer() {
    let (options, bytes) = qoiz_session();
    let recording = Recording::parse(&bytes).unwrap();
    for frame in [1, 5, 6, 11] {
        let time = options.frame_time_us(frame) + 50_000;
        let plain = snapshot(&recording, time, false).unwrap();
        assert!(plain.pixels == options.image(frame).pixels, "frame {frame}");
        let with_pointer = snapshot(&recording, time, true).unwrap();
        let (x, y) = options.pointer_at(frame);
        let shape = options.pointer_image();
        let at = |image: &[u8], x: u32, y: u32| {
            image[((y * plain.width + x) * 4) as usize..][..4].to_vec()
        };
        // The shape's top-left pixel is opaque: it covers the screen there.
        assert_eq!(shape.rgba[3], 255);
        let corner = at(
            &with_pointer.pixels,
            x - shape.hotspot_x,
            y - shape.hotspot_y,
        );
        assert_eq!(corner[..3], shape.rgba[..3], "frame {frame}");
        // Far from the pointer nothing changes.
        let far = (
            (x + plain.width / 2) % plain.width,
            (y + plain.height / 2) % plain.height,
        );
        assert_eq!(
            at(&with_pointer.pixels, far.0, far.1),
            at(&plain.pixels, far.0, far.1)
        );
    }
}

#[test]
fn thumbnails_are_taken_at_each_interval_and_scaled() {
    let (options, bytes) = qoiz_session();
    let recording = Recording::parse(&bytes).unwrap();
    let thumbs = thumbnails(&recording, 400_000, 160, false).unwrap();
    let count = thumbs.total();
    let thumbs: Vec<_> = thumbs.map(|t| t.unwrap()).collect();
    let duration = recording.index().unwrap().duration_us;
    assert_eq!(thumbs.len() as u64, duration / 400_000 + 1);
    assert_eq!(thumbs.len() as u64, count);
    for thumb in &thumbs {
        let frame = (thumb.time_us / options.frame_interval_us) as u32;
        let (w, h) = options.screen_at(frame.min(options.frames - 1));
        assert_eq!(
            (thumb.image.width, thumb.image.height),
            (160, (h * 160).div_ceil(w))
        );
    }
}

#[test]
fn video_frames_follow_speed_and_idle_limit() {
    let (options, bytes) = qoiz_session();
    let recording = Recording::parse(&bytes).unwrap();
    let duration = recording.index().unwrap().duration_us;
    let real_time = VideoOptions {
        fps: 10,
        idle_limit_us: None,
        with_pointer: false,
        ..VideoOptions::default()
    };
    let frames = VideoFrames::new(&recording, &real_time).unwrap();
    assert_eq!(frames.count(), duration * 10 / 1_000_000 + 1);
    let double = VideoOptions {
        speed: 2.0,
        ..real_time
    };
    assert_eq!(
        VideoFrames::new(&recording, &double).unwrap().count(),
        duration * 5 / 1_000_000 + 1
    );
    // Frames are 100 ms apart: an idle limit of 40 ms cuts every gap to 40 ms.
    let tight = VideoOptions {
        idle_limit_us: Some(40_000),
        ..real_time
    };
    assert!(VideoFrames::new(&recording, &tight).unwrap().count() < frames.count() / 2);
    // Each frame shows the screen at its time, on the largest screen of the span.
    let mut frames = VideoFrames::new(&recording, &real_time).unwrap();
    assert_eq!(
        (frames.width(), frames.height()),
        (options.width, options.height)
    );
    while let Some((time, pixels)) = frames.next_frame().unwrap() {
        let frame = ((time / options.frame_interval_us) as u32).min(options.frames - 1);
        let image = options.image(frame);
        let row = image.width as usize * 4;
        assert!(pixels[..row] == image.pixels[..row], "first row at {time}");
    }
}

#[test]
fn the_animated_png_decodes_to_the_video_frames() {
    let (_, bytes) = qoiz_session();
    let recording = Recording::parse(&bytes).unwrap();
    let video = VideoOptions {
        fps: 5,
        ..VideoOptions::default()
    };
    let mut apng = Vec::new();
    let mut calls = 0;
    let stats = export_apng(&recording, &video, &mut apng, |_, _| calls += 1).unwrap();
    assert_eq!(calls, stats.frames);
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&apng))
        .read_info()
        .unwrap();
    let animation = decoder.info().animation_control.unwrap();
    assert_eq!(u64::from(animation.num_frames), stats.frames);
    let (width, height) = stats.size;
    let mut canvas = vec![0u8; (width * height * 4) as usize];
    let mut buffer = vec![0u8; decoder.output_buffer_size().unwrap()];
    let mut expected = VideoFrames::new(&recording, &video).unwrap();
    for _ in 0..stats.frames {
        let info = decoder.next_frame(&mut buffer).unwrap();
        let control = decoder.info().frame_control.unwrap();
        for row in 0..control.height as usize {
            let src = &buffer[row * info.line_size..][..control.width as usize * 4];
            let at = ((control.y_offset as usize + row) * width as usize
                + control.x_offset as usize)
                * 4;
            canvas[at..at + src.len()].copy_from_slice(src);
        }
        let (_, pixels) = expected.next_frame().unwrap().unwrap();
        assert!(canvas == pixels);
    }
}
