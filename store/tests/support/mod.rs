//! A real S3 API server for the tests: moto's standalone server with a
//! counting proxy in front of it (`s3_server.py`), started once per test
//! binary. `./test.sh` installs moto from PyPI into `target/moto-venv` and
//! names that Python in `TDPR_TEST_PYTHON`; without it, the venv is used
//! when it exists, else `python3`.
//!
//! The environment is set once, before any test talks to the store, so that
//! `object_store` reads the endpoint and credentials as it would on a
//! user's machine: the tests and the `tdpr` binaries they run reach the
//! proxy. Each test uses buckets of its own, whose requests and bytes the
//! proxy counts apart.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The server's proxy address, `host:port`.
pub struct Server {
    pub proxy: String,
    _child: Mutex<(Child, ChildStdin)>,
}

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/s3_server.py");
/// The script's path when the support module is used from another crate.
fn script() -> &'static Path {
    let here = Path::new(SCRIPT);
    if here.exists() {
        return here;
    }
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../store/tests/support/s3_server.py"
    ))
}

/// The Python that has moto: `TDPR_TEST_PYTHON`, else `./test.sh`'s
/// virtual environment when it exists, else `python3`.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("TDPR_TEST_PYTHON") {
        return python.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target/moto-venv/bin/python");
    if venv.exists() {
        return venv;
    }
    "python3".into()
}

fn moto_installed(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import moto.server, flask, werkzeug"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The server, started on first use.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let python = python();
        assert!(
            moto_installed(&python),
            "{} has no moto: run ./test.sh, which installs it into target/moto-venv, \
             or set TDPR_TEST_PYTHON to a Python with `moto[server]`",
            python.display()
        );
        let mut child = Command::new(&python)
            .arg(script())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Python runs the S3 server");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addresses: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        let proxy = addresses["proxy"].as_str().unwrap().to_string();
        for (key, value) in [
            ("AWS_ENDPOINT", proxy.as_str()),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_ACCESS_KEY_ID", "tdpr-test"),
            ("AWS_SECRET_ACCESS_KEY", "tdpr-test"),
            ("AWS_REGION", "us-east-1"),
            ("TDPR_STORE_RETRIES", "2"),
            ("TDPR_STORE_RETRY_SECONDS", "10"),
        ] {
            std::env::set_var(key, value);
        }
        Server {
            proxy: proxy.trim_start_matches("http://").to_string(),
            _child: Mutex::new((child, stdin)),
        }
    })
}

/// One HTTP/1.1 request to the proxy's control endpoints; the status and
/// the body.
fn control(method: &str, path: &str) -> (u16, String) {
    let server = server();
    let mut stream = TcpStream::connect(&server.proxy).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.proxy
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// A bucket of the test's own.
pub struct Bucket {
    pub name: String,
}

/// Requests the proxy forwarded and bytes of the answers' bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub requests: u64,
    pub bytes: u64,
}

impl Bucket {
    /// A new bucket named `name` (3 to 63 lower-case letters, digits, `-`).
    pub fn new(name: &str) -> Bucket {
        let (status, _) = control("PUT", &format!("/__proxy/bucket/{name}"));
        assert_eq!(status, 200, "bucket {name} created");
        Bucket {
            name: name.to_string(),
        }
    }

    /// The URL of `key` in the bucket.
    pub fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.name)
    }

    /// Stores `bytes` as `key` (not counted).
    pub fn put(&self, key: &str, bytes: &[u8]) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        self.put_file(key, file.path());
    }

    /// Stores the file at `path` as `key` (not counted).
    pub fn put_file(&self, key: &str, path: &Path) {
        let (status, _) = control(
            "PUT",
            &format!(
                "/__proxy/object/{}/{key}?file={}",
                self.name,
                path.display()
            ),
        );
        assert_eq!(status, 200, "{key} stored");
    }

    /// The counts since the bucket was made or reset.
    pub fn counts(&self) -> Counts {
        let (_, body) = control("GET", &format!("/__proxy/stats/{}", self.name));
        let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
        Counts {
            requests: stats["requests"].as_u64().unwrap(),
            bytes: stats["bytes"].as_u64().unwrap(),
        }
    }

    /// Zeroes the counts and drops any fault.
    pub fn reset(&self) {
        control("POST", &format!("/__proxy/reset/{}", self.name));
    }

    /// Makes the next `count` GETs (-1: all) misbehave: `short`, `cut` or
    /// `deny` (see `s3_server.py`).
    pub fn fault(&self, kind: &str, count: i64) {
        control(
            "POST",
            &format!("/__proxy/fault/{}?kind={kind}&count={count}", self.name),
        );
    }
}
