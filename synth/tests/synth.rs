//! The synthetic sessions of `tdpr_synth`: deterministic per seed, valid,
//! and shaped as their profile says.

use tdpr::tdp::{MessageKind, MessageType};
use tdpr::{Census, Compression, RecordBody, Recording, WriterOptions};
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

fn synth(profile: Profile, seed: u64, seconds: u64) -> Vec<u8> {
    let options = SynthOptions {
        duration_us: seconds * 1_000_000,
        seed,
        profile,
        ..SynthOptions::default()
    };
    write_synthetic(Vec::new(), &options).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
    let a = synth(Profile::Office, 11, 30);
    assert_eq!(a, synth(Profile::Office, 11, 30));
    assert_ne!(a, synth(Profile::Office, 12, 30));
    assert_ne!(a, synth(Profile::Idle, 11, 30));
}

/// The frames of `recording` counted by TDP message kind, record by record.
fn walked_census(recording: &Recording<'_>) -> Census {
    let mut census = Census::default();
    let mut inflater = tdpr::Inflater::default();
    for record in recording.records() {
        for frame in record.unwrap().frames(&mut inflater).unwrap() {
            census.add(frame.offset, frame.message);
        }
    }
    census
}

#[test]
fn every_profile_validates_and_lasts_its_duration() {
    for profile in Profile::ALL {
        for seed in 0..3 {
            // Video is costly to draw in an unoptimised build.
            let seconds = if profile == Profile::Video { 6 } else { 30 };
            let file = synth(profile, seed, seconds);
            let (_, counted) = tdpr::validate_frames(&file)
                .unwrap_or_else(|e| panic!("{profile} seed {seed}: {e}"));
            let recording = Recording::parse(&file).unwrap();
            let census = walked_census(&recording);
            assert!(
                census.first_fault.is_none(),
                "{profile}: {:?}",
                census.first_fault
            );
            // The census made in validation's one pass is the record walk's.
            assert_eq!(counted.by_kind, census.by_kind, "{profile} seed {seed}");
            let index = recording.index().unwrap();
            assert_eq!(
                index.duration_us,
                seconds * 1_000_000,
                "{profile} seed {seed}"
            );
            let labels = &recording.metadata().message.labels;
            assert_eq!(labels["profile"], profile.name());
            assert_eq!(labels["seed"], seed.to_string());
        }
    }
}

#[test]
fn an_office_session_holds_what_a_desktop_session_holds() {
    let file = synth(Profile::Office, 1, 600);
    let recording = Recording::parse(&file).unwrap();
    let census = walked_census(&recording);
    let png = &census.by_kind[&MessageKind::Tdp(MessageType::PNG_FRAME)];
    let moves = &census.by_kind[&MessageKind::Tdp(MessageType::MOUSE_MOVE)];
    assert!(png.count > 1_000 && moves.count > 1_000, "{census:?}");
    // Tiles are real PNG images of desktop content: a 64x64 tile is 12 KiB
    // raw, so compressed tiles average far less.
    assert!(png.bytes / png.count < 4_000, "{png:?}");
    let index = recording.index().unwrap();
    assert!(index.idle_spans().len() >= 2, "idle gaps");
    assert!(
        index.seek_entries().filter(|e| e.is_keyframe).count() >= 10,
        "a keyframe a minute"
    );
    let sizes = recording
        .records()
        .filter(|r| matches!(r.as_ref().unwrap().body, RecordBody::ScreenSize { .. }))
        .count();
    let kinds: std::collections::BTreeSet<String> =
        index.events().filter_map(|e| e.kind.name()).collect();
    assert!(sizes >= 1, "a resize in ten minutes");
    for kind in ["clipboard_send", "shared_directory_start", "session_end"] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
}

#[test]
fn profiles_differ_in_activity() {
    let per_second = |profile, seconds| {
        let file = synth(profile, 4, seconds);
        let recording = Recording::parse(&file).unwrap();
        let index = recording.index().unwrap();
        let frame_bytes = index.frame_bytes / seconds;
        let idle = index.idle_us() as f64 / index.duration_us as f64;
        (frame_bytes, idle)
    };
    let (office, office_idle) = per_second(Profile::Office, 180);
    let (video, video_idle) = per_second(Profile::Video, 15);
    let (idle, idle_idle) = per_second(Profile::Idle, 600);
    assert!(
        video > 20 * office,
        "video {video} B/s, office {office} B/s"
    );
    assert!(office > idle, "office {office} B/s, idle {idle} B/s");
    assert!(
        idle_idle > 0.6,
        "the idle profile is idle {idle_idle:.2} of the time"
    );
    assert!(
        idle_idle > office_idle && office_idle > video_idle,
        "{idle_idle} {office_idle} {video_idle}"
    );
}

#[test]
fn writer_options_are_honoured() {
    let mut writer = WriterOptions::default();
    writer.compression = Compression::None;
    let options = SynthOptions {
        duration_us: 20_000_000,
        seed: 9,
        profile: Profile::Office,
        writer,
        ..Default::default()
    };
    let file = write_synthetic(Vec::new(), &options).unwrap();
    let recording = Recording::parse(&file).unwrap();
    assert!(recording
        .records()
        .all(|r| !r.unwrap().flags.is_compressed()));
    let default = synth(Profile::Office, 9, 20);
    let frames = |file: &[u8]| -> Vec<Vec<u8>> {
        Recording::parse(file)
            .unwrap()
            .records()
            .filter_map(|r| match r.unwrap().body {
                RecordBody::Frame(p) => Some(p.to_vec().unwrap()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        frames(&file),
        frames(&default),
        "the same messages either way"
    );
}

/// A video session writes a keyframe after about `keyframe_after_bytes` of
/// screen updates (checked between two pictures, so at most one picture
/// more), besides one a minute; with 0, the minute alone.
#[test]
fn keyframes_follow_the_bytes_of_updates() {
    let keyframes = |after: u64| -> (u64, u64) {
        let options = SynthOptions {
            duration_us: 20_000_000,
            seed: 5,
            profile: Profile::Video,
            keyframe_after_bytes: after,
            ..Default::default()
        };
        let file = write_synthetic(Vec::new(), &options).unwrap();
        let recording = Recording::parse(&file).unwrap();
        let (mut count, mut since, mut most) = (0, 0, 0);
        let mut inflater = tdpr::Inflater::default();
        for record in recording.records() {
            let record = record.unwrap();
            if let RecordBody::Keyframe { .. } = record.body {
                count += 1;
                since = 0;
            }
            for frame in record.frames(&mut inflater).unwrap() {
                since += frame.message.len() as u64;
                most = most.max(since);
            }
        }
        (count, most)
    };
    let (one_mib, most) = keyframes(1 << 20);
    let (two_mib, _) = keyframes(2 << 20);
    let (minute, _) = keyframes(0);
    assert!(
        most <= (1 << 20) + (512 << 10),
        "{most} bytes after a keyframe"
    );
    assert!(
        one_mib > two_mib && two_mib > minute,
        "{one_mib} {two_mib} {minute}"
    );
    assert_eq!(minute, 1, "20 s: the keyframe at the start");
}

/// An idle session writes no keyframe of a screen nothing was drawn on
/// since the last one: every keyframe after the first follows a PNG tile.
#[test]
fn no_keyframe_repeats_an_unchanged_screen() {
    let bytes = synth(Profile::Idle, 2, 600);
    let recording = Recording::parse(&bytes).unwrap();
    let mut inflater = tdpr::Inflater::default();
    let (mut keyframes, mut drawn) = (0, true);
    for record in recording.records() {
        let record = record.unwrap();
        if let RecordBody::Keyframe { .. } = record.body {
            assert!(
                drawn,
                "a keyframe at {} repeats the last one",
                record.time_us
            );
            keyframes += 1;
            drawn = false;
        }
        drawn |= record
            .frames(&mut inflater)
            .unwrap()
            .any(|frame| frame.message.first() == Some(&2));
    }
    let minutes = recording.index().unwrap().duration_us / 60_000_000;
    assert!(
        keyframes >= 1 && keyframes < minutes,
        "{keyframes} in {minutes} minutes"
    );
}

#[test]
fn profiles_parse_from_their_names() {
    for profile in Profile::ALL {
        assert_eq!(profile.name().parse::<Profile>(), Ok(profile));
    }
    assert!("cinema".parse::<Profile>().is_err());
}
