//! `langnghe check-config`: every problem in the configuration folder, each with file and key.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Print one JSON object: {"files": [...], "problems": [{"file", "line", "key", "message"}]}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Problem {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<String>,
    message: String,
}

#[derive(Serialize)]
struct Report {
    files: Vec<String>,
    problems: Vec<Problem>,
}

fn check_sources(path: &Path, report: &mut Report) {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            report.problems.push(Problem {
                file: name,
                line: None,
                column: None,
                key: None,
                message: format!("cannot read: {e}"),
            });
            return;
        }
    };
    report.files.push(name.clone());
    if let Err(problems) = langnghe_crawl::SourcesConfig::parse(&text, &name) {
        report
            .problems
            .extend(problems.into_iter().map(|p| Problem {
                file: p.file,
                line: p.line.map(|l| l.0),
                column: p.line.map(|l| l.1),
                key: p.key,
                message: p.message,
            }));
    }
}

fn check_lexicon(path: &Path, report: &mut Report) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let name = path.display().to_string();
    report.files.push(name.clone());
    for (i, line) in text.lines().enumerate() {
        let phrase = line.split('#').next().unwrap_or("").trim();
        if !phrase.is_empty()
            && langnghe_vi::tokens(phrase, langnghe_vi::Analyzer::Exact).is_empty()
        {
            report.problems.push(Problem {
                file: name.clone(),
                line: Some(i + 1),
                column: Some(1),
                key: None,
                message: format!("{phrase:?} has no letters or digits to search for"),
            });
        }
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let dir = &args.data.config;
    let mut report = Report {
        files: Vec::new(),
        problems: Vec::new(),
    };
    check_sources(&dir.join("sources.toml"), &mut report);
    check_lexicon(&dir.join("lexicon.txt"), &mut report);
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        for p in &report.problems {
            let at = match (p.line, p.column) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                _ => String::new(),
            };
            let key = p.key.as_deref().map_or(String::new(), |k| format!(": {k}"));
            println!("{}{at}{key}: {}", p.file, p.message);
        }
        if report.files.is_empty() {
            println!(
                "no configuration files in {} (built-in defaults apply)",
                dir.display()
            );
        } else if report.problems.is_empty() {
            println!("{}: ok", report.files.join(", "));
        } else {
            println!(
                "{} problem(s) in {}",
                report.problems.len(),
                report.files.join(", ")
            );
        }
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
