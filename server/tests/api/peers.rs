//! Real servers the tests talk to: each a child process on a free loopback port with a
//! directory of its own, stopped and its directory removed when dropped.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

pub struct Peer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Peer {
    /// Runs `program` with the arguments `args` makes of its port and directory, and
    /// waits until the port answers. `install` says how to get the program.
    pub fn start(program: &str, install: &str, args: impl FnOnce(u16, &Path) -> Vec<String>) -> Peer {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("openaero-{program}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("peer directory");
        let child = Command::new(program)
            .args(args(port, &dir))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} could not start ({e}): {install}"));
        // Built before waiting, so its Drop stops the process if it never answers.
        let peer = Peer { child, port, dir };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return peer;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("{program} did not start listening");
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port()
}

/// Every regular file under `dir`.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { walk(&path, out) } else { out.push(path) }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

/// An S3-compatible object store (`s3s-fs`, a Rust S3 server over a directory) with
/// one bucket, and credentials it checks.
pub struct S3Server {
    peer: Peer,
}

const BUCKET: &str = "openaero-files";
const ACCESS_KEY: &str = "openaero-test";
const SECRET_KEY: &str = "openaero-test-secret-key";

impl S3Server {
    pub fn start() -> S3Server {
        let peer = Peer::start("s3s-fs", "the test command installs it with cargo install s3s-fs", |port, dir| {
            std::fs::create_dir_all(dir.join(BUCKET)).expect("bucket");
            let mut args: Vec<String> = ["--host", "127.0.0.1", "--port"].map(String::from).to_vec();
            args.extend([port.to_string(), "--access-key".into(), ACCESS_KEY.into()]);
            args.extend(["--secret-key".into(), SECRET_KEY.into(), dir.display().to_string()]);
            args
        });
        S3Server { peer }
    }

    /// The settings that point an instance at this store, under `prefix`.
    pub fn settings(&self, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("OPENAERO_STORAGE", format!("s3://{BUCKET}/{prefix}")),
            ("AWS_ENDPOINT", format!("http://127.0.0.1:{}", self.peer.port)),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
        ]
    }

    /// The objects stored under `prefix`, as paths in the server's directory.
    pub fn objects(&self, prefix: &str) -> Vec<PathBuf> {
        files_under(&self.peer.dir.join(BUCKET).join(prefix))
    }
}
