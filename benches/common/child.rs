//! A child process measured by `wait4`: wall time, user+sys CPU time and peak RSS.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One measured run of a child process.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Usage {
    pub wall: Duration,
    /// User plus system CPU time.
    pub cpu: Duration,
    pub rss_mb: f64,
}

impl Usage {
    /// The field-wise minimum of several runs (the least disturbed figure of each).
    pub(crate) fn min(runs: &[Usage]) -> Usage {
        let pick = |f: fn(&Usage) -> Duration| runs.iter().map(f).min().unwrap_or_default();
        Usage {
            wall: pick(|u| u.wall),
            cpu: pick(|u| u.cpu),
            rss_mb: runs.iter().map(|u| u.rss_mb).fold(f64::INFINITY, f64::min),
        }
    }
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// Runs `cmd` in `dir` with `env`, output discarded; panics unless it exits with one of `ok`.
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also reports its usage
pub(crate) fn measure(cmd: &[&str], dir: &Path, env: &[(&str, &Path)], ok: &[i32]) -> Usage {
    let t = Instant::now();
    let mut c = Command::new(cmd[0]);
    c.args(&cmd[1..])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    // Stderr is drained in a thread so a chatty child never blocks on a full pipe.
    let mut err = child.stderr.take().unwrap();
    let e = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our direct child, not yet reaped (child.wait() is never called).
    let r = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    let wall = t.elapsed();
    assert_eq!(r, pid);
    let stderr = e.join().unwrap();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    assert!(ok.contains(&code), "{cmd:?} exited {code}:\n{stderr}");
    Usage {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

/// `runs` measured runs of `f`, reduced to their minimum.
pub(crate) fn best(runs: usize, mut f: impl FnMut() -> Usage) -> Usage {
    let all: Vec<Usage> = (0..runs).map(|_| f()).collect();
    Usage::min(&all)
}

/// Prints one figure: wall, CPU and RSS, then the target.
pub(crate) fn line(name: &str, u: Usage, target: &str) {
    println!(
        "{name:<46} wall {:>8.1} ms   cpu {:>8.1} ms   rss {:>5.0} MB   target {target}",
        u.wall.as_secs_f64() * 1e3,
        u.cpu.as_secs_f64() * 1e3,
        u.rss_mb
    );
}
