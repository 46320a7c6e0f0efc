//! Rust YAML parser measurements for the `sds` project.
//!
//! `cargo run --release`            run sections a, b, c, d and print Markdown
//! `cargo run --release -- a b`     run only the listed sections
//! Internal child modes: `case <candidate> <input>` and `malformed <candidate>`.

mod cands;
mod inputs;
mod stree;

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::os::unix::process::CommandExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(120);
/// Address-space cap for child processes (KiB) so that an alias bomb cannot take the machine.
const ULIMIT_V_KIB: u64 = 8 * 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("case") => return child_case(&args[2], &args[3]),
        Some("malformed") => return child_malformed(&args[2]),
        _ => {}
    }
    let sections: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    let want = |s: &str| sections.is_empty() || sections.contains(&s);

    println!("# YAML parser measurements\n");
    machine_info();
    if want("a") {
        section_a();
    }
    if want("b") {
        section_b();
    }
    if want("c") {
        section_c();
    }
    if want("d") {
        section_d();
    }
}

fn machine_info() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("Machine: {n} CPUs available, CPU model `{cpu}`; built with --release.\n");
}

// ---------------------------------------------------------------------------
// (a) positions

fn fmt_pos(p: &Result<cands::Pos, String>) -> String {
    match p {
        Ok((l, c, ci, bi)) => {
            let mut s = format!("line {l}, col {c}");
            if let Some(ci) = ci {
                let _ = write!(s, ", char idx {ci}");
            }
            if let Some(bi) = bi {
                let _ = write!(s, ", idx(byte?) {bi}");
            }
            s
        }
        Err(e) => format!("— ({e})"),
    }
}

fn section_a() {
    let doc = inputs::report(190);
    let ((kl, kc, ki), (vl, vc, vi)) = inputs::probe_expected(&doc);
    println!("## (a) Line/column of values and keys\n");
    println!(
        "Probe: value `812` of `hic15:` in list entry #120 of the generated report. \
         Ground truth: key at line {kl}, col {kc} (0-based chars), char index {ki}; \
         value at line {vl}, col {vc} (0-based), char index {vi} (ASCII, so byte index = char index).\n"
    );
    let u = inputs::UNICODE_PROBE;
    let ub = u.find("812").unwrap();
    let (ul, uc, ui) = inputs::pos_of(u, ub);
    let ubc = ub - u[..ub].rfind('\n').unwrap() - 1;
    println!(
        "Non-ASCII probe `{}`: `812` is at line {ul}, char col {uc} / byte col {ubc} (0-based), char index {ui} / byte index {ub}.\n",
        u.escape_debug()
    );
    println!("| candidate | value `812` (as reported) | key `hic15` (as reported) | `812` after non-ASCII |");
    println!("|---|---|---|---|");
    for c in ["serde_yaml", "serde_yaml_ng", "serde_saphyr_typed", "saphyr_tree", "yaml_rust2"] {
        let p = cands::span_probe(c, &doc);
        println!(
            "| {} | {} | {} | {} |",
            cands::short(c),
            fmt_pos(&p.value),
            fmt_pos(&p.key),
            fmt_pos(&p.uni_value)
        );
    }
    println!(
        "\n(serde_yaml/serde_yaml_ng: positions obtained only from an `Error` raised by a custom \
         `deserialize_with` that rejects 812; key probe uses the doc `{}` and a key type that rejects `hic15`.)\n",
        cands::KEY_PROBE_DOC.escape_debug()
    );
    println!(
        "Type-error probe `{}` deserialised into `struct {{ m: {{ a: u32, hic15: u8 }} }}` \
         (location tuple as reported: (line, column, index)):\n",
        cands::TYPE_PROBE_DOC.escape_debug()
    );
    for c in ["serde_yaml", "serde_yaml_ng", "serde_saphyr_typed"] {
        println!("- {}: {}", cands::short(c), cands::type_error_probe(c));
    }
    println!();
}

// ---------------------------------------------------------------------------
// (b) speed

fn bench_one(name: &str, doc: &str) -> Result<(), String> {
    match name {
        "serde_yaml" => {
            black_box(serde_yaml::from_str::<serde_yaml::Value>(doc).map_err(|e| e.to_string())?);
        }
        "serde_yaml_ng" => {
            black_box(serde_yaml_ng::from_str::<serde_yaml_ng::Value>(doc).map_err(|e| e.to_string())?);
        }
        "serde_saphyr" => {
            black_box(serde_saphyr::from_str::<serde_json::Value>(doc).map_err(|e| e.to_string())?);
        }
        "serde_saphyr_typed" => {
            black_box(serde_saphyr::from_str::<cands::typed::Report>(doc).map_err(|e| e.to_string())?);
        }
        "serde_saphyr_nobudget" => {
            let mut o = serde_saphyr::Options::default();
            o.budget = None;
            black_box(
                serde_saphyr::from_str_with_options::<serde_json::Value>(doc, o).map_err(|e| e.to_string())?,
            );
        }
        "saphyr_events" => {
            black_box(stree::events_only(doc)?);
        }
        "saphyr_tree" => {
            black_box(stree::build(doc, &stree::Limits::default()).map_err(|e| e.to_string())?);
        }
        "yaml_rust2" => {
            black_box(yaml_rust2::YamlLoader::load_from_str(doc).map_err(|e| e.to_string())?);
        }
        _ => unreachable!(),
    }
    Ok(())
}

fn section_b() {
    let doc = inputs::report(190);
    let lines = doc.lines().count();
    println!("## (b) Speed on the realistic report\n");
    println!(
        "Input: generated report, {} bytes ({:.1} KiB), {} lines, 190 result entries. \
         Each figure: median of 5 rounds × 200 parses (after 20 warm-up parses), single thread.\n",
        doc.len(),
        doc.len() as f64 / 1024.0,
        lines
    );
    println!("| candidate | µs per file (median) | MB/s (10^6 B/s) | min..max µs/file over rounds |");
    println!("|---|---:|---:|---|");
    let names = [
        "serde_yaml",
        "serde_yaml_ng",
        "serde_saphyr",
        "serde_saphyr_nobudget",
        "serde_saphyr_typed",
        "saphyr_events",
        "saphyr_tree",
        "yaml_rust2",
    ];
    for name in names {
        if let Err(e) = bench_one(name, &doc) {
            println!("| {} | error: {e} | | |", cands::label(name));
            continue;
        }
        for _ in 0..20 {
            let _ = bench_one(name, &doc);
        }
        let mut rounds: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..200 {
                    let _ = bench_one(name, &doc);
                }
                t.elapsed().as_secs_f64() / 200.0
            })
            .collect();
        rounds.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let med = rounds[2];
        println!(
            "| {} | {:.1} | {:.1} | {:.1}..{:.1} |",
            cands::label(name),
            med * 1e6,
            doc.len() as f64 / med / 1e6,
            rounds[0] * 1e6,
            rounds[4] * 1e6
        );
    }
    println!();
}

// ---------------------------------------------------------------------------
// (c) pathological inputs, each in a child process under /usr/bin/time -v

fn silence_panics() {
    panic::set_hook(Box::new(|_| {}));
}

fn panic_msg(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".into()
    }
}

fn child_case(cand: &str, case: &str) {
    let input = inputs::pathological(case).expect("known case");
    silence_panics();
    let t = Instant::now();
    let r = panic::catch_unwind(AssertUnwindSafe(|| {
        let r = cands::run(cand, input.as_bytes());
        black_box(&r);
        r
    }));
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let (status, msg) = match r {
        Ok(Ok(s)) => ("PARSED", s),
        Ok(Err(e)) => ("ERROR", e),
        Err(p) => ("PANIC", panic_msg(p)),
    };
    println!("RESULT\t{status}\t{ms:.3}\t{}\t{}", input.len(), msg.replace(['\t', '\n'], " "));
    let _ = std::io::stdout().flush();
}

struct ChildOutcome {
    stdout: String,
    stderr: String,
    wall: Duration,
    timed_out: bool,
}

fn run_child(args: &[&str], tag: &str) -> ChildOutcome {
    let exe = std::env::current_exe().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/child-logs");
    std::fs::create_dir_all(&dir).unwrap();
    let out_p = dir.join(format!("{tag}.out"));
    let err_p = dir.join(format!("{tag}.err"));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {ULIMIT_V_KIB} && exec /usr/bin/time -v \"$@\""))
        .arg("sh")
        .arg(&exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_p).unwrap())
        .stderr(std::fs::File::create(&err_p).unwrap())
        .process_group(0);
    let t = Instant::now();
    let mut child = cmd.spawn().expect("spawn child");
    let pgid = child.id();
    let mut timed_out = false;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if t.elapsed() > TIMEOUT {
            timed_out = true;
            // Kill only the process group we created for this child.
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).status();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = t.elapsed();
    ChildOutcome {
        stdout: std::fs::read_to_string(&out_p).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_p).unwrap_or_default(),
        wall,
        timed_out,
    }
}

fn time_field<'a>(stderr: &'a str, key: &str) -> Option<&'a str> {
    stderr.lines().find_map(|l| l.trim().strip_prefix(key).map(str::trim))
}

fn describe(o: &ChildOutcome) -> (String, String, String, String) {
    // (outcome, parse time, peak RSS, message)
    let rss = time_field(&o.stderr, "Maximum resident set size (kbytes):")
        .and_then(|s| s.parse::<u64>().ok())
        .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "?".into());
    if o.timed_out {
        return ("**> 120 s (killed)**".into(), "> 120 s".into(), "n/a".into(), String::new());
    }
    if let Some(line) = o.stdout.lines().find(|l| l.starts_with("RESULT\t")) {
        let f: Vec<&str> = line.splitn(5, '\t').collect();
        let ms: f64 = f[2].parse().unwrap_or(f64::NAN);
        let outcome = match f[1] {
            "PARSED" => "parsed (accepted)".to_string(),
            "ERROR" => "refused (Err)".to_string(),
            "PANIC" => "**PANIC**".to_string(),
            s => s.to_string(),
        };
        let t = if ms >= 1000.0 { format!("{:.2} s", ms / 1e3) } else { format!("{ms:.2} ms") };
        return (outcome, t, rss, f.get(4).unwrap_or(&"").to_string());
    }
    // No result line: the process died.
    let sig = o
        .stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Command terminated by signal ").map(str::to_string));
    let what = if o.stderr.contains("has overflowed its stack") {
        "**stack overflow**"
    } else if o.stderr.contains("memory allocation of") {
        "**out of memory (abort)**"
    } else {
        "**crashed**"
    };
    let first_err = o
        .stderr
        .lines()
        .find(|l| !l.starts_with('\t') && !l.trim().is_empty() && !l.starts_with("Command"))
        .unwrap_or("")
        .to_string();
    (
        format!("{what}, signal {}", sig.unwrap_or_else(|| "?".into())),
        format!("died after {:.2} s", o.wall.as_secs_f64()),
        rss,
        first_err,
    )
}

fn section_c() {
    println!("## (c) Pathological inputs\n");
    println!(
        "Each case runs in its own child process under `/usr/bin/time -v`, with `ulimit -v {} GiB` \
         and a {} s wall-clock cap, on the child's main thread (default 8 MiB stack). \
         'parse time' is measured inside the child around the parse call only; peak RSS includes the \
         generated input held in memory. serde-saphyr uses default `Options` (Budget: max_depth 64, \
         alias limits, ...). saphyr-parser tree = our builder with depth ≤ 64 and an alias budget of 10,000 nodes.\n",
        ULIMIT_V_KIB / 1024 / 1024,
        TIMEOUT.as_secs()
    );
    let only = std::env::var("YP_CASES").ok();
    for case in inputs::PATHOLOGICAL.iter().chain(inputs::SCALING.iter()) {
        if let Some(only) = &only {
            if !only.split(',').any(|c| c == *case) {
                continue;
            }
        }
        let input_len = inputs::pathological(case).unwrap().len();
        println!("### `{case}` ({input_len} bytes)\n");
        println!("| candidate | outcome | parse time | peak RSS | message |");
        println!("|---|---|---:|---:|---|");
        for c in cands::CANDIDATES_C {
            let o = run_child(&["case", c, case], &format!("{case}-{c}"));
            let (outcome, t, rss, msg) = describe(&o);
            println!("| {} | {outcome} | {t} | {rss} | {} |", cands::short(c), msg.replace('|', "\\|"));
            let _ = std::io::stdout().flush();
        }
        println!();
    }
}

// ---------------------------------------------------------------------------
// (d) malformed inputs, every candidate in its own child process

fn child_malformed(cand: &str) {
    silence_panics();
    for (i, (_, input)) in inputs::malformed().iter().enumerate() {
        let r = panic::catch_unwind(AssertUnwindSafe(|| cands::run(cand, input)));
        let (status, msg) = match r {
            Ok(Ok(s)) => ("ok", s),
            Ok(Err(e)) => ("err", e),
            Err(p) => ("PANIC", panic_msg(p)),
        };
        println!("{i}\t{status}\t{}", msg.replace(['\t', '\n'], " "));
        let _ = std::io::stdout().flush();
    }
}

fn section_d() {
    let inputs = inputs::malformed();
    let mut results: Vec<Vec<(String, String)>> = Vec::new();
    let mut crashed: Vec<String> = Vec::new();
    for c in cands::CANDIDATES {
        let o = run_child(&["malformed", c], &format!("malformed-{c}"));
        let mut col = vec![("(no result: process died)".to_string(), String::new()); inputs.len()];
        for line in o.stdout.lines() {
            let f: Vec<&str> = line.splitn(3, '\t').collect();
            if let (Some(i), Some(s)) = (f.first().and_then(|x| x.parse::<usize>().ok()), f.get(1)) {
                col[i] = (s.to_string(), f.get(2).unwrap_or(&"").to_string());
            }
        }
        if o.timed_out || !o.stdout.lines().any(|l| l.starts_with(&format!("{}\t", inputs.len() - 1))) {
            crashed.push(format!("{c}: {}", describe(&o).0));
        }
        results.push(col);
    }
    println!("## (d) Malformed inputs (catch_unwind)\n");
    println!(
        "`ok` = accepted, `err` = returned an error, **PANIC** = panicked (caught). serde_yaml, \
         serde_yaml_ng and serde-saphyr are fed through `from_slice`; saphyr-parser and yaml-rust2 \
         accept only `&str`, so invalid UTF-8 is rejected by the caller's `str::from_utf8`.\n"
    );
    print!("| input |");
    for c in cands::CANDIDATES {
        print!(" {} |", cands::short(c));
    }
    println!();
    print!("|---|");
    for _ in cands::CANDIDATES {
        print!("---|");
    }
    println!();
    for (i, (name, _)) in inputs.iter().enumerate() {
        print!("| {} |", name.replace('|', "\\|"));
        for col in &results {
            let s = match col[i].0.as_str() {
                "PANIC" => "**PANIC**".to_string(),
                s => s.to_string(),
            };
            print!(" {s} |");
        }
        println!();
    }
    if !crashed.is_empty() {
        println!("\nProcesses that died: {}", crashed.join("; "));
    }
    println!("\n### (d) details: messages per input\n");
    for (i, (name, _)) in inputs.iter().enumerate() {
        println!("- **{}**", name);
        for (ci, c) in cands::CANDIDATES.iter().enumerate() {
            let (s, m) = &results[ci][i];
            println!("  - {}: {s}: {}", cands::short(c), m.replace('|', "\\|"));
        }
    }
    println!();
}
