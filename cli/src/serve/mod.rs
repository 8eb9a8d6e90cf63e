//! `tdpr play FILE|URL|DIR` and `tdpr serve DIR`: the browser player and the
//! recordings on this machine's loopback address, so that a user watches a
//! recording with one command and a browser, nothing else installed.
//!
//! The player (`web/`, embedded: see [`assets`]) opens a recording of any size
//! with two range requests and seeks with one more, so the server answers
//! single `Range:` requests (206 with `Content-Range`, 416 past the end). It
//! listens on 127.0.0.1 only and answers only requests whose `Host` is a
//! loopback name, so that a web page elsewhere cannot reach the recordings by
//! pointing a name of its own at 127.0.0.1 (DNS rebinding); it sends no CORS
//! headers, so other pages cannot read them either.

mod assets;
mod library;
mod listing;
mod range;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::net::IpAddr;
use std::path::Path;

use tdpr::RangeSource;
use tdpr_store::{Location, ObjectSource};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::input::unreachable;
use crate::print;
use crate::status::{CommandResult, Failure, Status};
use library::{Library, Refusal, Served, PREFIX};
use range::RangeAnswer;

/// Requests answered at once: the player makes two at open, a page load two more.
const WORKERS: usize = 4;

/// `tdpr play`: the player on one recording (a file, or an object named by
/// URL), or the listing of a directory's.
pub fn play(target: &Path, port: u16) -> CommandResult {
    if let Some(location) = target.to_str().and_then(Location::parse) {
        let location = location.map_err(unreachable)?;
        return run(
            Library::object(&location).map_err(Failure::CannotRun)?,
            port,
        );
    }
    if target.is_dir() {
        return serve(target, port);
    }
    run(Library::file(target).map_err(Failure::CannotRun)?, port)
}

/// `tdpr serve`: the listing of a directory's recordings, each playable.
pub fn serve(dir: &Path, port: u16) -> CommandResult {
    run(Library::directory(dir).map_err(Failure::CannotRun)?, port)
}

/// Listens on 127.0.0.1:`port` (a free port for 0), prints the URL of the
/// library's front page and answers requests until the process is stopped.
fn run(library: Library, port: u16) -> CommandResult {
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| Failure::CannotRun(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let address = server
        .server_addr()
        .to_ip()
        .expect("a server bound to an IP address");
    print::out(&format!("http://{address}{}\n", library.front_page()))?;
    print::err(&format!(
        "tdpr: serving on http://{address}/ until interrupted (Ctrl-C)\n"
    ));
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                match server.recv() {
                    // An error here is the client's going away: nobody to tell.
                    Ok(request) => drop(respond(&library, request)),
                    Err(e) => print::err(&format!("tdpr: accepting a connection failed: {e}\n")),
                }
            });
        }
    });
    Ok(Status::Success)
}

type Reply = Response<Box<dyn Read + Send>>;

fn respond(library: &Library, request: Request) -> std::io::Result<()> {
    let reply = answer(library, &request);
    request.respond(reply)
}

/// The reply to `request`: the listing at `/`, the player's files, the
/// recordings under [`PREFIX`].
fn answer(library: &Library, request: &Request) -> Reply {
    if !is_loopback_host(header(request, "Host")) {
        return text(403, "this server answers requests for localhost only");
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(405, "only GET and HEAD").with_header(field("Allow", "GET, HEAD"));
    }
    let path = request.url().split(['?', '#']).next().unwrap_or_default();
    if path == "/" {
        let recordings = match library.recordings() {
            Ok(recordings) => recordings,
            Err(e) => return text(500, &format!("cannot list the recordings: {e}")),
        };
        let page = listing::page(&library.title(), &recordings).into_bytes();
        let length = page.len() as u64;
        return reply(
            200,
            "text/html; charset=utf-8",
            Box::new(std::io::Cursor::new(page)),
            length,
        );
    }
    if let Some(asset) = assets::find(path) {
        return reply(
            200,
            asset.content_type,
            Box::new(asset.bytes),
            asset.bytes.len() as u64,
        );
    }
    match path.strip_prefix(PREFIX).map(|rest| library.find(rest)) {
        Some(Ok(Served::File(file))) => recording(&file, header(request, "Range")),
        Some(Ok(Served::Object(source, size))) => object(source, size, header(request, "Range")),
        Some(Err(Refusal::Outside)) => text(403, "outside the served recordings"),
        Some(Err(Refusal::NotFound)) | None => text(404, "not found"),
    }
}

/// A recording's bytes: the whole file, or the range asked for.
fn recording(path: &Path, range: Option<&str>) -> Reply {
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    let (size, mut file) = match opened {
        Ok(opened) => opened,
        Err(e) => return text(404, &format!("cannot read the recording: {e}")),
    };
    ranged(range, size, |part| match part {
        None => Ok(Box::new(file)),
        Some((start, length)) => {
            file.seek(SeekFrom::Start(start))?;
            Ok(Box::new(file.take(length)))
        }
    })
}

/// An object's bytes, as [`recording`] answers for a file: a range is one
/// range request to the store, the whole object one streamed GET.
fn object(source: &ObjectSource, size: u64, range: Option<&str>) -> Reply {
    ranged(range, size, |part| match part {
        None => Ok(Box::new(source.stream().map_err(std::io::Error::other)?.1)),
        Some((start, length)) => {
            let range = start..start + length;
            let mut bytes = source.read_ranges(std::slice::from_ref(&range))?;
            Ok(Box::new(std::io::Cursor::new(
                bytes.pop().unwrap_or_default(),
            )))
        }
    })
}

/// The answer to a request for `range` of a recording of `size` bytes, whose
/// bytes `open` reads: all of them (`None`), or `length` from `start`.
fn ranged(
    range: Option<&str>,
    size: u64,
    open: impl FnOnce(Option<(u64, u64)>) -> std::io::Result<Box<dyn Read + Send>>,
) -> Reply {
    const TYPE: &str = "application/octet-stream";
    let accept = field("Accept-Ranges", "bytes");
    let failed = |e: std::io::Error| text(500, &format!("cannot read the recording: {e}"));
    match RangeAnswer::new(range, size) {
        RangeAnswer::Whole => match open(None) {
            Ok(body) => reply(200, TYPE, body, size).with_header(accept),
            Err(e) => failed(e),
        },
        RangeAnswer::Part { start, end } => {
            let length = end - start + 1;
            match open(Some((start, length))) {
                Ok(body) => reply(206, TYPE, body, length)
                    .with_header(accept)
                    .with_header(field(
                        "Content-Range",
                        &format!("bytes {start}-{end}/{size}"),
                    )),
                Err(e) => failed(e),
            }
        }
        RangeAnswer::Unsatisfiable => reply(416, TYPE, Box::new(std::io::empty()), 0)
            .with_header(field("Content-Range", &format!("bytes */{size}"))),
    }
}

/// A reply of `length` bytes with a `Content-Length` (never chunked: a range
/// reader checks the length), not to be cached (a recording may be growing).
fn reply(status: u16, content_type: &str, body: Box<dyn Read + Send>, length: u64) -> Reply {
    let Ok(length) = usize::try_from(length) else {
        return text(500, "a file too large for this build of tdpr");
    };
    Response::new(
        StatusCode(status),
        vec![
            field("Content-Type", content_type),
            field("Cache-Control", "no-cache"),
            field("X-Content-Type-Options", "nosniff"),
        ],
        body,
        Some(length),
        None,
    )
    .with_chunked_threshold(usize::MAX)
}

fn text(status: u16, message: &str) -> Reply {
    let body = format!("{message}\n").into_bytes();
    let length = body.len() as u64;
    reply(
        status,
        "text/plain; charset=utf-8",
        Box::new(std::io::Cursor::new(body)),
        length,
    )
}

fn field(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("a header of ASCII text")
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Whether a `Host` value names this machine: `localhost` or a loopback
/// address, with any port.
fn is_loopback_host(host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
