//! `tdpr play` and `tdpr serve`, asked by a real HTTP client the way the
//! browser player asks: the player's files, single ranges of a recording, the
//! listing of a directory, and the requests the server refuses.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::support::scratch;

/// A running `tdpr play` or `tdpr serve`, stopped when dropped.
pub(super) struct Server {
    child: Child,
    /// The URL it printed.
    pub(super) url: String,
}

impl Server {
    pub(super) fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tdpr"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run tdpr");
        let mut url = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut url)
            .expect("read the URL");
        let url = url.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "printed {url:?}");
        Server { child, url }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub(super) fn at(&self, path: &str) -> String {
        let rest = &self.url["http://".len()..];
        let host = &rest[..rest.find('/').unwrap_or(rest.len())];
        format!("http://{host}{path}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status, the headers asked for, and the body of a request.
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<Option<String>>,
    pub(super) body: Vec<u8>,
}

fn request(method: &str, url: &str, sent: &[(&str, &str)], wanted: &[&str]) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .allow_non_standard_methods(true)
        .build()
        .into();
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in sent {
        builder = builder.header(*name, *value);
    }
    let response = agent
        .run(builder.body(()).expect("a request"))
        .expect("an answer");
    let headers = wanted
        .iter()
        .map(|name| {
            let value = response.headers().get(*name)?;
            Some(value.to_str().expect("ASCII").to_owned())
        })
        .collect();
    let status = response.status().as_u16();
    let body = response.into_body().read_to_vec().expect("the body");
    Reply {
        status,
        headers,
        body,
    }
}

/// A GET of `url`, with a `Range` header if given; the headers kept are
/// content-type, content-range, accept-ranges and content-length.
pub(super) fn get(url: &str, range: Option<&str>) -> Reply {
    let sent: Vec<(&str, &str)> = range.map(|r| ("Range", r)).into_iter().collect();
    request(
        "GET",
        url,
        &sent,
        &[
            "content-type",
            "content-range",
            "accept-ranges",
            "content-length",
        ],
    )
}

fn sample_bytes() -> Vec<u8> {
    tdpr_synth::sample::write_sample(Vec::new(), Default::default()).unwrap()
}

#[test]
fn play_serves_the_player_and_single_ranges_of_the_recording() {
    let dir = scratch("play");
    let data = sample_bytes();
    let size = data.len();
    let path = dir.join("sample.tdpr");
    std::fs::write(&path, &data).unwrap();
    let server = Server::start(&["play", path.to_str().unwrap()]);
    assert!(
        server
            .url
            .ends_with("/index.html?src=recordings/sample.tdpr"),
        "{}",
        server.url
    );

    let page = get(&server.url, None);
    assert_eq!(page.status, 200);
    assert_eq!(page.headers[0].as_deref(), Some("text/html; charset=utf-8"));
    let page_text = String::from_utf8(page.body).unwrap();
    assert!(page_text.contains("./dist/tdpr-player.js"), "{page_text}");
    let bundle = get(&server.at("/dist/tdpr-player.js"), None);
    assert_eq!(bundle.status, 200);
    assert_eq!(
        bundle.headers[0].as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/tdpr-player.js"
    ))
    .unwrap();
    assert!(
        bundle.body == committed,
        "the embedded bundle is the one in cli/assets/"
    );
    // The renderer module, so that the player draws RDP fast-path updates
    // (web/test/wasm.test.ts plays a RemoteFX session through `tdpr play`).
    let module = get(&server.at("/dist/tdpr-render.wasm"), None);
    assert_eq!(module.status, 200);
    assert_eq!(module.headers[0].as_deref(), Some("application/wasm"));
    assert!(
        module.body.starts_with(b"\0asm\x01\0\0\0"),
        "a WebAssembly module, version 1"
    );
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/tdpr-render.wasm"
    ))
    .unwrap();
    assert!(
        module.body == committed,
        "the embedded module is the one in cli/assets/"
    );

    let recording = server.at("/recordings/sample.tdpr");
    let whole = get(&recording, None);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.headers[2].as_deref(), Some("bytes"));
    assert!(whole.body == data);

    // What the player asks at open: the first 64 KiB and the last, both past the
    // size of the sample; then a range inside.
    let head = get(&recording, Some("bytes=0-65535"));
    assert_eq!(head.status, 206);
    assert_eq!(
        head.headers[1],
        Some(format!("bytes 0-{}/{size}", size - 1))
    );
    assert!(head.body == data);
    let tail = get(&recording, Some("bytes=-19"));
    assert_eq!(tail.status, 206);
    assert_eq!(
        tail.headers[1],
        Some(format!("bytes {}-{}/{size}", size - 19, size - 1))
    );
    assert!(tail.body == data[size - 19..]);
    let inside = get(&recording, Some("bytes=20-43"));
    assert_eq!(inside.status, 206);
    assert_eq!(inside.headers[1], Some(format!("bytes 20-43/{size}")));
    assert_eq!(inside.headers[3].as_deref(), Some("24"));
    assert!(inside.body == data[20..44]);

    let past = get(&recording, Some(&format!("bytes={size}-")));
    assert_eq!(past.status, 416);
    assert_eq!(past.headers[1], Some(format!("bytes */{size}")));
    assert!(past.body.is_empty());

    let head_request = request("HEAD", &recording, &[], &["content-length"]);
    assert_eq!(head_request.status, 200);
    assert_eq!(head_request.headers[0], Some(size.to_string()));
    assert!(head_request.body.is_empty());

    // Only that file: not its neighbours, not the directory's listing of them.
    std::fs::write(dir.join("other.tdpr"), &data).unwrap();
    assert_eq!(get(&server.at("/recordings/other.tdpr"), None).status, 404);
    assert_eq!(
        get(&server.at("/recordings/%2e%2e/play/sample.tdpr"), None).status,
        403
    );
    assert_eq!(get(&server.at("/nothing"), None).status, 404);
    let listing = String::from_utf8(get(&server.at("/"), None).body).unwrap();
    assert!(
        listing.contains("sample.tdpr") && !listing.contains("other.tdpr"),
        "{listing}"
    );
}

#[test]
fn serve_lists_the_recordings_of_a_directory_and_refuses_the_rest() {
    let root = scratch("serve");
    let dir = root.join("recordings");
    std::fs::create_dir_all(&dir).unwrap();
    let data = sample_bytes();
    std::fs::write(dir.join("a.tdpr"), &data).unwrap();
    std::fs::write(dir.join("two words.tdpr"), &data).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &data[..100]).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a recording").unwrap();
    std::fs::write(root.join("outside.tdpr"), &data).unwrap();
    let link = dir.join("escape.tdpr");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(root.join("outside.tdpr"), &link).unwrap();

    let server = Server::start(&["serve", dir.to_str().unwrap()]);
    assert!(server.url.ends_with('/'), "{}", server.url);
    let listing = get(&server.url, None);
    assert_eq!(listing.status, 200);
    let html = String::from_utf8(listing.body).unwrap();
    assert!(
        html.contains("href=\"/index.html?src=recordings/a.tdpr\""),
        "{html}"
    );
    // The name is escaped for the path, and the path for the query value.
    assert!(
        html.contains("href=\"/index.html?src=recordings/two%2520words.tdpr\">two words.tdpr</a>"),
        "{html}"
    );
    assert!(
        html.contains("alice") && html.contains("0:00:12.026"),
        "{html}"
    );
    assert!(
        html.contains("truncated at offset"),
        "the cut file says why it does not open: {html}"
    );
    assert!(!html.contains("notes.txt"), "{html}");

    let spaced = get(
        &server.at("/recordings/two%20words.tdpr"),
        Some("bytes=0-9"),
    );
    assert_eq!(spaced.status, 206);
    assert!(spaced.body == data[..10]);

    for (path, status) in [
        ("/recordings/notes.txt", 404),
        ("/recordings/missing.tdpr", 404),
        ("/recordings/../outside.tdpr", 403),
        ("/recordings/%2e%2e/outside.tdpr", 403),
        ("/recordings/%2E%2E%2Foutside.tdpr", 403),
        ("/recordings/escape.tdpr", 403),
        ("/recordings//etc/passwd", 404),
    ] {
        assert_eq!(get(&server.at(path), None).status, status, "{path}");
    }

    // A page elsewhere that points a name of its own at 127.0.0.1 gets nothing.
    for (host, status) in [("evil.example:80", 403), ("localhost:1", 200)] {
        let reply = request(
            "GET",
            &server.at("/recordings/a.tdpr"),
            &[("Host", host)],
            &[],
        );
        assert_eq!(reply.status, status, "Host: {host}");
    }
    assert_eq!(request("POST", &server.at("/"), &[], &[]).status, 405);

    // `tdpr play DIR` is the same listing.
    let played = Server::start(&["play", dir.to_str().unwrap()]);
    assert!(played.url.ends_with('/'), "{}", played.url);
    let html_again = String::from_utf8(get(&played.url, None).body).unwrap();
    assert_eq!(html_again, html);
}

#[test]
fn serve_refuses_a_file_and_play_a_missing_one() {
    let dir = scratch("refused");
    let file = dir.join("sample.tdpr");
    std::fs::write(&file, sample_bytes()).unwrap();
    let served = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(["serve", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(served.status.code(), Some(2));
    let message = String::from_utf8_lossy(&served.stderr);
    assert!(message.contains("is not a directory"), "{message}");
    let played = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(["play", dir.join("missing.tdpr").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(played.status.code(), Some(2));
    let message = String::from_utf8_lossy(&played.stderr);
    assert!(message.starts_with("tdpr: cannot read "), "{message}");
}
