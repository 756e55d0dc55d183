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

/// The text of a configuration file, recorded as checked; `None` if it is absent (the built-in
/// default applies) or unreadable (a problem).
fn read(path: &Path, report: &mut Report) -> Option<String> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            report.files.push(name);
            Some(text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            report.problems.push(Problem {
                file: name,
                line: None,
                column: None,
                key: None,
                message: format!("cannot read: {e}"),
            });
            None
        }
    }
}

fn add_problems(report: &mut Report, problems: Vec<langnghe_crawl::ConfigProblem>) {
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

/// The API presets file; the presets sources are checked against (the built-in ones if the
/// file is absent or has problems of its own).
fn check_presets(path: &Path, report: &mut Report) -> langnghe_crawl::ApiPresets {
    let Some(text) = read(path, report) else {
        return langnghe_crawl::ApiPresets::builtin();
    };
    match langnghe_crawl::ApiPresets::parse(&text, &path.display().to_string()) {
        Ok(presets) => presets,
        Err(problems) => {
            add_problems(report, problems);
            langnghe_crawl::ApiPresets::builtin()
        }
    }
}

fn check_sources(path: &Path, presets: &langnghe_crawl::ApiPresets, report: &mut Report) {
    let Some(text) = read(path, report) else {
        return;
    };
    if let Err(problems) =
        langnghe_crawl::SourcesConfig::parse_with(&text, &path.display().to_string(), presets)
    {
        add_problems(report, problems);
    }
}

fn check_lexicon(path: &Path, report: &mut Report) {
    let Some(text) = read(path, report) else {
        return;
    };
    let name = path.display().to_string();
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

/// Every topic pack of `dir/topics`, checked together (ids are unique across files).
fn check_topics(dir: &Path, report: &mut Report) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            report.problems.push(Problem {
                file: dir.display().to_string(),
                line: None,
                column: None,
                key: None,
                message: format!("cannot read: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| read(p, report).map(|text| (p.display().to_string(), text)))
        .collect();
    if let Err(problems) = langnghe_rules::TopicPacks::parse(&files) {
        add_problems(report, problems);
    }
}

fn check_provinces(path: &Path, report: &mut Report) {
    let Some(text) = read(path, report) else {
        return;
    };
    if let Err(problems) = langnghe_rules::Gazetteer::parse(&text, &path.display().to_string()) {
        add_problems(report, problems);
    }
}

/// The alerts file, and the topics and provinces its routes name (when the packs and gazetteer
/// load).
fn check_alerts(path: &Path, data: &DataArgs, report: &mut Report) {
    let Some(text) = read(path, report) else {
        return;
    };
    let name = path.display().to_string();
    match langnghe_alert::AlertsConfig::parse(&text, &name) {
        Ok(config) => {
            if let Ok(classifier) = data.classifier() {
                add_problems(
                    report,
                    config.check_names(
                        &name,
                        &classifier.packs().ids(),
                        &classifier.gazetteer().ids(),
                    ),
                );
            }
        }
        Err(problems) => add_problems(report, problems),
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let dir = &args.data.config;
    let mut report = Report {
        files: Vec::new(),
        problems: Vec::new(),
    };
    let presets = check_presets(&dir.join("api-presets.toml"), &mut report);
    check_sources(&dir.join("sources.toml"), &presets, &mut report);
    check_lexicon(&dir.join("lexicon.txt"), &mut report);
    check_topics(&dir.join("topics"), &mut report);
    check_provinces(&dir.join("provinces.toml"), &mut report);
    check_alerts(&dir.join("alerts.toml"), &args.data, &mut report);
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
