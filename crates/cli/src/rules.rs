//! `langnghe classify` and `langnghe rules`: the topics and provinces of documents, and the
//! rules that decide them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use langnghe_model::{Document, Evidence, Severity, TopicTag};
use langnghe_rules::{Classifier, Explanation, candidate, evidence};

use crate::DataArgs;

#[derive(clap::Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    data: DataArgs,
    /// One JSON object per document per line:
    /// {"id", "topics": [{"id", "severity", "score", "version", "terms"}], "provinces"}.
    #[arg(long)]
    json: bool,
    /// JSON Lines files as `import` reads them (plain or .gz).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(clap::Subcommand)]
enum RulesCommand {
    /// The topics of the packs: id, severity, rule version, name.
    List {
        #[command(flatten)]
        data: DataArgs,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Run every topic's example sentences; exit 1 if any fails.
    Test {
        #[command(flatten)]
        data: DataArgs,
        /// Print one JSON object: {"examples", "failing": [{"topic", "sentence", "expected"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Why a topic does or does not match an indexed document, part by part.
    Explain {
        #[command(flatten)]
        data: DataArgs,
        /// Print the explanation as JSON.
        #[arg(long)]
        json: bool,
        /// Topic id (`dinh-cong`).
        topic: String,
        /// Document id, as `search --json` shows it.
        doc_id: String,
    },
    /// Precision and recall of the topic packs against a labelled sample, and the documents
    /// they get wrong for "any labour topic" (id, corpus/stratum, labels, topics, headline).
    Measure(MeasureArgs),
    /// Re-tag the indexed documents after a rule changed: all topics and provinces, or one topic.
    Apply {
        #[command(flatten)]
        data: DataArgs,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Only this topic (only documents its rule may match, or tagged with it, are read).
        topic: Option<String>,
    },
}

/// One topic of a document, as `classify --json` prints it.
#[derive(Serialize)]
struct TopicOut<'a> {
    id: &'a str,
    severity: Severity,
    score: f64,
    version: &'a str,
    terms: &'a [Evidence],
}

#[derive(Serialize)]
struct ClassifiedOut<'a> {
    id: &'a str,
    topics: Vec<TopicOut<'a>>,
    provinces: &'a [String],
}

fn topics_out(hits: &[TopicTag]) -> Vec<TopicOut<'_>> {
    hits.iter()
        .map(|h| TopicOut {
            id: &h.topic,
            severity: h.severity,
            score: h.score,
            version: &h.version,
            terms: &h.terms,
        })
        .collect()
}

/// `phrase ×n` for each phrase that fired.
fn show_terms(terms: &[Evidence]) -> String {
    terms
        .iter()
        .map(|e| {
            let n = e.positions.len();
            let at = if e.field == "title" { " (title)" } else { "" };
            if n > 1 {
                format!("\"{}\"×{n}{at}", e.phrase)
            } else {
                format!("\"{}\"{at}", e.phrase)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize, Default)]
struct ClassifySummary {
    documents: u64,
    with_topics: u64,
    skipped: u64,
    undated: u64,
    topics: BTreeMap<String, u64>,
    bytes: u64,
    seconds: f64,
}

pub fn classify(args: &ClassifyArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let classifier = args.data.classifier()?;
    let bar = crate::import::byte_bar(&args.files);
    let mut summary = ClassifySummary::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let reading = crate::import::each_classified(
        &args.data,
        &args.files,
        &bar,
        &classifier,
        |_| true,
        |doc| {
            summary.documents += 1;
            summary.with_topics += u64::from(!doc.topics.is_empty());
            for t in &doc.topics {
                *summary.topics.entry(t.clone()).or_default() += 1;
            }
            if args.json {
                serde_json::to_writer(
                    &mut out,
                    &ClassifiedOut {
                        id: &doc.id,
                        topics: topics_out(&doc.topic_hits),
                        provinces: &doc.provinces,
                    },
                )?;
                out.write_all(b"\n")?;
            } else {
                let topics: Vec<String> = doc
                    .topic_hits
                    .iter()
                    .map(|h| format!("{} [{}] {}", h.topic, h.severity, show_terms(&h.terms)))
                    .collect();
                let provinces = if doc.provinces.is_empty() {
                    String::new()
                } else {
                    format!("; provinces: {}", doc.provinces.join(", "))
                };
                let topics = if topics.is_empty() {
                    "-".to_string()
                } else {
                    topics.join("; ")
                };
                writeln!(out, "{}: {topics}{provinces}", doc.id)?;
            }
            Ok(())
        },
    )?;
    summary.bytes = reading.bytes;
    summary.skipped = reading.skipped;
    summary.undated = reading.undated;
    out.flush()?;
    bar.finish_and_clear();
    summary.seconds = start.elapsed().as_secs_f64();
    let per_topic: Vec<String> = summary
        .topics
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    eprintln!(
        "classified {} documents in {:.1} s ({:.1} MB/s): {} with a topic ({}); {} bad line(s) skipped; {} kept undated",
        summary.documents,
        summary.seconds,
        summary.bytes as f64 / 1e6 / summary.seconds.max(1e-9),
        summary.with_topics,
        if per_topic.is_empty() {
            "none".to_string()
        } else {
            per_topic.join(", ")
        },
        summary.skipped,
        summary.undated
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        RulesCommand::List { data, json } => list(&data.classifier()?, *json),
        RulesCommand::Test { data, json } => test(&data.classifier()?, *json),
        RulesCommand::Explain {
            data,
            json,
            topic,
            doc_id,
        } => explain(data, *json, topic, doc_id),
        RulesCommand::Apply { data, json, topic } => apply(data, *json, topic.as_deref()),
        RulesCommand::Measure(args) => measure(args),
    }
}

/// The error for a topic id that no pack defines, listing those that exist.
fn unknown_topic(classifier: &Classifier, id: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "no topic {id:?}; the topics are {}",
        classifier.packs().ids().join(", ")
    )
}

fn list(classifier: &Classifier, json: bool) -> anyhow::Result<ExitCode> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        name: &'a str,
        severity: Severity,
        version: String,
        file: &'a str,
        query: &'a str,
        /// Given only where no other topic is.
        fallback: bool,
    }
    let rows: Vec<Row<'_>> = classifier
        .packs()
        .topics
        .iter()
        .map(|t| Row {
            id: &t.id,
            name: &t.name,
            severity: t.severity,
            version: t.version(),
            file: &t.file,
            query: &t.text,
            fallback: t.fallback,
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string(&rows)?);
    } else {
        for r in &rows {
            let fallback = if r.fallback {
                "  (fallback: only where no other topic is)"
            } else {
                ""
            };
            println!(
                "{:<20} {:<8} {}  {}{fallback}",
                r.id, r.severity, r.version, r.name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn test(classifier: &Classifier, json: bool) -> anyhow::Result<ExitCode> {
    #[derive(Serialize)]
    struct Failing {
        topic: String,
        sentence: String,
        expected: bool,
    }
    #[derive(Serialize)]
    struct Report {
        topics: usize,
        examples: usize,
        failing: Vec<Failing>,
    }
    let topics = &classifier.packs().topics;
    let report = Report {
        topics: topics.len(),
        examples: topics
            .iter()
            .map(|t| t.examples_match.len() + t.examples_no_match.len())
            .sum(),
        failing: classifier
            .failing_examples()
            .into_iter()
            .map(|(topic, sentence, expected)| Failing {
                topic,
                sentence,
                expected,
            })
            .collect(),
    };
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        for f in &report.failing {
            let file = classifier
                .packs()
                .get(&f.topic)
                .map_or("", |t| t.file.as_str());
            println!(
                "{file}: {}: should {}match: {}",
                f.topic,
                if f.expected { "" } else { "not " },
                f.sentence
            );
        }
        println!(
            "{} topics, {} examples: {} failing",
            report.topics,
            report.examples,
            report.failing.len()
        );
    }
    Ok(if report.failing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn explain(data: &DataArgs, json: bool, topic: &str, doc_id: &str) -> anyhow::Result<ExitCode> {
    let classifier = data.classifier()?;
    if classifier.packs().get(topic).is_none() {
        return Err(unknown_topic(&classifier, topic));
    }
    let archive = data.open_archive()?;
    let Some(doc) = archive.document(doc_id)? else {
        anyhow::bail!("no document {doc_id:?} in {}", data.index_dir().display());
    };
    let source = doc.source.to_lowercase();
    let Some(e) = classifier.explain(topic, &candidate(&doc, &source)) else {
        anyhow::bail!("no topic {topic:?}");
    };
    let recorded = doc.topic_hits.iter().find(|h| h.topic == topic);
    #[derive(Serialize)]
    struct Out<'a> {
        document: &'a str,
        title: &'a str,
        #[serde(flatten)]
        explanation: &'a Explanation,
        /// The hit recorded on the document when it was last classified.
        recorded: Option<&'a TopicTag>,
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&Out {
                document: &doc.id,
                title: &doc.title,
                explanation: &e,
                recorded,
            })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let verdict = if e.matches {
        "matches"
    } else {
        "does not match"
    };
    println!("{topic} {verdict} {} ({})", doc.id, doc.title);
    println!("rule (version {}): {}", e.version, e.query.trim());
    let fired: Vec<Evidence> = e.query_terms.iter().cloned().map(evidence).collect();
    println!(
        "  rule: {}",
        if e.query_matches {
            format!("matches: {}", show_positions(&fired))
        } else {
            "no match".into()
        }
    );
    for x in &e.excluded_by {
        println!("  vetoed by exclusion: {}", x.trim());
    }
    for (text, weight, f) in &e.patterns {
        let f: Vec<Evidence> = f.iter().cloned().map(evidence).collect();
        let state = if f.is_empty() {
            "no match".to_string()
        } else {
            show_positions(&f)
        };
        println!("  pattern {weight:+} {}: {state}", text.trim());
    }
    if let Some(t) = e.threshold {
        println!("  score {} (threshold {t})", e.score);
    }
    if e.query_matches && e.prominence.long {
        if e.prominence.lead {
            println!("  holds in the title and lead");
        } else if !e.prominence.titled {
            println!(
                "  a long text: the rule does not hold in the title and lead, and the title names nothing the rule looks for (passages are not counted)"
            );
        } else {
            println!(
                "  a long text: the rule does not hold in the title and lead, and holds in {} passage(s) after them ({} needed)",
                e.prominence.passages, e.mentions
            );
        }
    }
    if !e.displaced_by.is_empty() {
        println!(
            "  a fallback topic, and the document has narrower ones: {}",
            e.displaced_by.join(", ")
        );
    }
    if e.abroad_only {
        println!("  news from abroad only: it names a place abroad and none in Vietnam");
    }
    if e.without_marks {
        println!("  read as text typed without diacritics");
    }
    match recorded {
        Some(r) if r.version == e.version => {
            println!("recorded on the document with this version of the rule")
        }
        Some(r) => println!(
            "recorded on the document by rule version {} (the rule has changed since: `langnghe rules apply {topic}` re-tags)",
            r.version
        ),
        None => println!("not recorded on the document"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `"ngừng việc" body@12,40`.
fn show_positions(fired: &[Evidence]) -> String {
    fired
        .iter()
        .map(|e| {
            let p: Vec<String> = e.positions.iter().map(ToString::to_string).collect();
            format!("\"{}\" {}@{}", e.phrase, e.field, p.join(","))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A document as `rules apply` found it: its topics before, and the document to write when its
/// tags changed.
struct Retagged {
    before: Vec<String>,
    changed: Option<Document>,
}

/// Classifies `doc` again: every topic, or with `only`, that topic (and the fallback topics,
/// which follow the others) as the whole document's classification has it now and every other
/// topic as recorded.
fn retag(
    classifier: &langnghe_rules::Classifier,
    mut doc: Document,
    only: Option<&str>,
    buffers: &mut langnghe_rules::Buffers,
) -> Retagged {
    let before = (
        doc.topics.clone(),
        doc.topic_hits.clone(),
        doc.provinces.clone(),
    );
    // Classified in place of a copy of the document (its text is the bulk of it).
    let source = doc.source.to_lowercase();
    let fresh = classifier.classify_with(&candidate(&doc, &source), buffers);
    match only {
        None => fresh.tag(&mut doc),
        Some(t) => {
            let packs = classifier.packs();
            let renewed = |topic: &str| topic == t || packs.is_fallback(topic);
            doc.topic_hits.retain(|h| !renewed(&h.topic));
            doc.topic_hits.extend(
                fresh
                    .topics
                    .into_iter()
                    .map(langnghe_rules::TopicHit::into_tag)
                    .filter(|h| renewed(&h.topic)),
            );
            packs.settle_fallbacks(&mut doc.topic_hits, |h| &h.topic);
            // In pack order, as classification gives them.
            let order = |topic: &str| {
                packs
                    .topics
                    .iter()
                    .position(|x| x.id == topic)
                    .unwrap_or(usize::MAX)
            };
            doc.topic_hits.sort_by_key(|h| order(&h.topic));
            doc.topics = doc.topic_hits.iter().map(|h| h.topic.clone()).collect();
        }
    }
    let changed =
        (&doc.topics, &doc.topic_hits, &doc.provinces) != (&before.0, &before.1, &before.2);
    Retagged {
        before: before.0,
        changed: changed.then_some(doc),
    }
}

fn apply(data: &DataArgs, json: bool, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let classifier = data.classifier()?;
    let archive = data.open_archive()?;
    let ids = match only {
        None => archive.all_ids()?,
        Some(id) => {
            let Some(topic) = classifier.packs().get(id) else {
                return Err(unknown_topic(&classifier, id));
            };
            // Every document the rule may match (read without diacritics, a superset) and every
            // document tagged with the topic now.
            let tagged = langnghe_query::Query::Keyword {
                field: langnghe_query::KeywordField::Topic,
                value: id.to_string(),
            };
            let mut ids = archive.matching_ids(&langnghe_query::Query::Or(vec![
                topic.query.unmarked(),
                tagged,
            ]))?;
            ids.dedup();
            ids
        }
    };
    #[derive(Serialize, Default)]
    struct Summary {
        examined: u64,
        changed: u64,
        added: BTreeMap<String, u64>,
        removed: BTreeMap<String, u64>,
        seconds: f64,
    }
    let mut summary = Summary::default();
    let bar = ProgressBar::new(ids.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} re-tagging [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut writer = archive.writer_with_threads(data.threads())?;
    // Documents are read and classified on the workers; the changed ones are written here, in
    // the order of `ids`.
    langnghe_pipeline::ordered(
        data.threads(),
        |feed| {
            for id in &ids {
                if !feed.push(id) {
                    break;
                }
            }
        },
        || classifier.scratch(),
        |buffers, id| -> anyhow::Result<Option<Retagged>> {
            let Some(doc) = archive.document(id)? else {
                return Ok(None);
            };
            Ok(Some(retag(&classifier, doc, only, buffers)))
        },
        |retagged| -> anyhow::Result<()> {
            bar.inc(1);
            let Some(r) = retagged? else {
                return Ok(());
            };
            summary.examined += 1;
            if let Some(doc) = r.changed {
                for t in doc.topics.iter().filter(|t| !r.before.contains(t)) {
                    *summary.added.entry(t.clone()).or_default() += 1;
                }
                for t in r.before.iter().filter(|t| !doc.topics.contains(t)) {
                    *summary.removed.entry(t.clone()).or_default() += 1;
                }
                summary.changed += 1;
                writer.add(&doc)?;
            }
            Ok(())
        },
    )?;
    writer.finish()?;
    bar.finish_and_clear();
    summary.seconds = start.elapsed().as_secs_f64();
    if json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        let show = |m: &BTreeMap<String, u64>| {
            if m.is_empty() {
                "none".to_string()
            } else {
                m.iter()
                    .map(|(t, n)| format!("{t} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        eprintln!(
            "re-tagged {} of {} documents in {:.1} s; topics added: {}; removed: {}",
            summary.changed,
            summary.examined,
            summary.seconds,
            show(&summary.added),
            show(&summary.removed)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Counts of one topic (or "any labour topic") against the labels, raw and weighted by stratum.
#[derive(Serialize, Default, Clone)]
struct Score {
    true_positives: u64,
    false_positives: u64,
    false_negatives: u64,
    precision: Option<f64>,
    recall: Option<f64>,
    #[serde(skip)]
    weighted: [f64; 3],
    weighted_precision: Option<f64>,
    weighted_recall: Option<f64>,
}

impl Score {
    fn add(&mut self, gold: bool, predicted: bool, weight: f64) {
        let (count, k) = match (gold, predicted) {
            (true, true) => (&mut self.true_positives, 0),
            (false, true) => (&mut self.false_positives, 1),
            (true, false) => (&mut self.false_negatives, 2),
            (false, false) => return,
        };
        *count += 1;
        self.weighted[k] += weight;
    }

    fn finish(&mut self) {
        let ratio = |a: f64, b: f64| (a + b > 0.0).then(|| a / (a + b));
        let (tp, fp, fn_) = (
            self.true_positives as f64,
            self.false_positives as f64,
            self.false_negatives as f64,
        );
        self.precision = ratio(tp, fp);
        self.recall = ratio(tp, fn_);
        let [wtp, wfp, wfn] = self.weighted;
        self.weighted_precision = ratio(wtp, wfp);
        self.weighted_recall = ratio(wtp, wfn);
    }
}

#[derive(clap::Args)]
pub struct MeasureArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Print the scores and the errors as one JSON object.
    #[arg(long)]
    json: bool,
    /// The labels: `corpus<TAB>stratum<TAB>id<TAB>topics` lines (with `# population<TAB>corpus<TAB>stratum<TAB>N`
    /// lines to weight strata), `id<TAB>topics` lines, or JSON objects with "id" and "topics"
    /// (the output of `classify --json`, corrected by hand, is a labels file); topics are
    /// comma-separated ids, `-` or `none` for none.
    #[arg(long, value_name = "FILE")]
    labels: PathBuf,
    /// JSON Lines files holding the labelled documents (others are skipped).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// `langnghe rules measure`: precision and recall of the topic packs against labels.
pub fn measure(args: &MeasureArgs) -> anyhow::Result<ExitCode> {
    let labels = crate::labels::read(&args.labels)?;
    let classifier = args.data.classifier()?;
    let known = classifier.packs().ids();
    for (topic, line) in &labels.named {
        if !known.contains(&topic.as_str()) {
            eprintln!(
                "warning: {}:{line}: {topic:?} is not a topic of the loaded packs ({}); it counts \
                 for \"any labour topic\" and gets a row of its own",
                args.labels.display(),
                known.join(", ")
            );
        }
    }
    let mut per_stratum: BTreeMap<String, u64> = BTreeMap::new();
    for (stratum, _) in labels.docs.values() {
        *per_stratum.entry(stratum.clone()).or_default() += 1;
    }
    let weight = |stratum: &str| {
        labels
            .population
            .get(stratum)
            .map_or(1.0, |n| n / per_stratum[stratum] as f64)
    };
    let mut any = Score::default();
    let mut topics: BTreeMap<String, Score> = BTreeMap::new();
    /// A document the packs got wrong for "any labour topic", as a pack author reads it.
    #[derive(Serialize)]
    struct Miss {
        /// "false_positive" or "false_negative".
        kind: &'static str,
        id: String,
        stratum: String,
        labelled: Vec<String>,
        classified: Vec<String>,
        title: String,
    }
    let mut errors: Vec<Miss> = Vec::new();
    let mut seen = 0u64;
    let bar = crate::import::byte_bar(&args.files);
    crate::import::each_classified(
        &args.data,
        &args.files,
        &bar,
        &classifier,
        // Only labelled documents are classified.
        |doc| labels.docs.contains_key(&doc.id),
        |doc| {
            let Some((stratum, gold)) = labels.docs.get(&doc.id) else {
                return Ok(());
            };
            seen += 1;
            let w = weight(stratum);
            any.add(!gold.is_empty(), !doc.topics.is_empty(), w);
            if gold.is_empty() != doc.topics.is_empty() {
                errors.push(Miss {
                    kind: if gold.is_empty() {
                        "false_positive"
                    } else {
                        "false_negative"
                    },
                    id: doc.id.clone(),
                    stratum: stratum.clone(),
                    labelled: gold.clone(),
                    classified: doc.topics.clone(),
                    title: doc.title.clone(),
                });
            }
            let mut all: Vec<&String> = gold.iter().chain(&doc.topics).collect();
            all.sort();
            all.dedup();
            for t in all {
                topics.entry(t.clone()).or_default().add(
                    gold.contains(t),
                    doc.topics.contains(t),
                    w,
                );
            }
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    any.finish();
    for s in topics.values_mut() {
        s.finish();
    }
    #[derive(Serialize)]
    struct Report<'a> {
        labelled: usize,
        classified: u64,
        any_labour_topic: &'a Score,
        topics: &'a BTreeMap<String, Score>,
        errors: &'a [Miss],
    }
    let report = Report {
        labelled: labels.docs.len(),
        classified: seen,
        any_labour_topic: &any,
        topics: &topics,
        errors: &errors,
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        for e in &errors {
            let kind = if e.labelled.is_empty() { "FP" } else { "FN" };
            let title: String = e.title.chars().take(100).collect();
            println!(
                "{kind} {} ({}) labelled [{}] classified [{}]: {title}",
                e.id,
                e.stratum,
                e.labelled.join(","),
                e.classified.join(",")
            );
        }
        let show = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.3}"));
        println!(
            "{:<20} {:>4} {:>4} {:>4} {:>9} {:>9} {:>9} {:>9}",
            "topic", "tp", "fp", "fn", "precision", "recall", "w.prec", "w.recall"
        );
        for (name, s) in std::iter::once(("any labour topic", &any))
            .chain(topics.iter().map(|(k, v)| (k.as_str(), v)))
        {
            println!(
                "{name:<20} {:>4} {:>4} {:>4} {:>9} {:>9} {:>9} {:>9}",
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                show(s.precision),
                show(s.recall),
                show(s.weighted_precision),
                show(s.weighted_recall)
            );
        }
        println!(
            "{seen} of {} labelled documents found in the input",
            labels.docs.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
