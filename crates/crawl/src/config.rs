//! `config/sources.toml`: what to crawl and how politely.
//!
//! One `[[source]]` table per source, with a `kind`: `feed` (RSS/Atom/RDF), `sitemap` (sitemaps,
//! indexes, news sitemaps, or the `Sitemap:` lines of robots.txt), `listing` (HTML pages whose links
//! are chosen by CSS selector or URL pattern, with pagination), `json` (a social or site API mapped
//! by JSON pointers, with cursor pagination and a token from the environment) and `forum`
//! (XenForo-style threads, each post a document). Parsing is strict (`deny_unknown_fields`), and
//! [`SourcesConfig::parse`] reports every problem at once, each with its key.

use std::collections::HashSet;

use serde::Deserialize;

pub use langnghe_model::ConfigProblem;

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 2.0, Atom or RDF feeds.
    Feed,
    /// Sitemaps, sitemap indexes, news sitemaps; `robots_sitemaps = true` adds robots.txt's.
    Sitemap,
    /// HTML listing pages.
    Listing,
    /// A JSON API (social media or a site's own).
    Json,
    /// Forum threads.
    Forum,
}

/// How a JSON API's responses map to documents (JSON pointers, RFC 6901).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonMapping {
    /// Pointer to the array of items in a response (`/data`, `/items`, `` for a top-level array).
    pub items: Option<String>,
    /// Pointer, within an item, to its id.
    pub id: Option<String>,
    /// Pointer to the text.
    pub text: Option<String>,
    /// Pointer to the title, if any.
    pub title: Option<String>,
    /// Pointer to the URL of the item.
    pub url: Option<String>,
    /// Pointer to the publication time.
    pub published: Option<String>,
    /// Pointer to the author (pseudonymised before storage).
    pub author: Option<String>,
    /// Pointer, within a response, to the cursor of the next page.
    pub next_cursor: Option<String>,
    /// Query parameter that carries the cursor (`after`, `max_id`, `pageToken`).
    pub cursor_param: Option<String>,
}

/// One `[[source]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Stable id (`vnexpress`, `laodong-congdoan`): lowercase letters, digits, `-`.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Kind of source.
    pub kind: SourceKind,
    /// Entry URLs (feeds, sitemaps, listing pages, API endpoints, threads).
    #[serde(default)]
    pub urls: Vec<String>,
    /// Seconds between two requests to this source's hosts (at least 1).
    pub delay_seconds: Option<f64>,
    /// Minutes between two runs of this source in continuous crawling.
    pub schedule_minutes: Option<u32>,
    /// Switch a source off without deleting it.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Free labels (`national`, `labour-press`, `union`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// `sitemap`: also read the `Sitemap:` lines of each host's robots.txt.
    #[serde(default)]
    pub robots_sitemaps: bool,
    /// `sitemap`, `listing`: only article URLs matching this regular expression.
    pub url_pattern: Option<String>,
    /// `listing`: CSS selector of article links.
    pub link_selector: Option<String>,
    /// `listing`, `forum`: CSS selector of the "next page" link.
    pub next_selector: Option<String>,
    /// `listing`, `forum`, `json`: pages to follow per run.
    pub max_pages: Option<u32>,
    /// `forum`: CSS selector of one post.
    pub post_selector: Option<String>,
    /// `json`: a documented API shape whose mapping is built in.
    pub preset: Option<String>,
    /// `json`: environment variable holding the access token (never the token itself).
    pub token_env: Option<String>,
    /// `json`: the mapping, merged over the preset's.
    #[serde(default)]
    pub mapping: JsonMapping,
}

/// At least one second between requests to a host (and not NaN).
fn polite_delay(seconds: f64) -> bool {
    seconds.is_finite() && seconds >= 1.0
}

fn yes() -> bool {
    true
}

/// Settings for every source unless a source overrides them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// User-Agent sent with every request; must name the crawler and a contact URL.
    #[serde(default = "default_user_agent")]
    pub user_agent: String,
    /// Seconds between two requests to one host.
    #[serde(default = "default_delay")]
    pub delay_seconds: f64,
    /// Requests in flight at once, all hosts together.
    #[serde(default = "default_concurrency")]
    pub concurrency: u32,
    /// Minutes between runs of a source.
    #[serde(default = "default_schedule")]
    pub schedule_minutes: u32,
}

use crate::fetch::default_user_agent;

fn default_delay() -> f64 {
    2.0
}
fn default_concurrency() -> u32 {
    8
}
fn default_schedule() -> u32 {
    30
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            user_agent: default_user_agent(),
            delay_seconds: default_delay(),
            concurrency: default_concurrency(),
            schedule_minutes: default_schedule(),
        }
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesConfig {
    /// Format version of the file; this build reads version 1.
    pub version: u32,
    /// Defaults for every source.
    #[serde(default)]
    pub defaults: Defaults,
    /// The sources.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
}

/// The JSON API presets (`config/api-presets.toml`): documented response shapes of social
/// platforms' APIs, each a [`JsonMapping`] a source names with `preset = "..."`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiPresets {
    /// Format version of the file; this build reads version 1.
    pub version: u32,
    /// The presets by name.
    #[serde(default, rename = "preset")]
    pub presets: std::collections::BTreeMap<String, JsonMapping>,
}

/// The presets shipped in `config/api-presets.toml`, built in as the fallback.
const BUILTIN_PRESETS: &str = include_str!("../../../config/api-presets.toml");

impl ApiPresets {
    /// Parses and validates `text` (the contents of `file`): every preset needs the pointers to
    /// an item's id and text, and every pointer must be one. On failure, every problem found.
    pub fn parse(text: &str, file: &str) -> Result<ApiPresets, Vec<ConfigProblem>> {
        let presets: ApiPresets = langnghe_model::parse_toml(text, file)?;
        let mut problems = Vec::new();
        let mut add = |key: String, message: String| {
            problems.push(ConfigProblem {
                file: file.to_string(),
                line: None,
                key: Some(key),
                message,
            });
        };
        if presets.version != 1 {
            add(
                "version".into(),
                format!(
                    "this build reads version 1, the file says {}",
                    presets.version
                ),
            );
        }
        for (name, m) in &presets.presets {
            if m.id.is_none() {
                add(
                    format!("preset.{name}.id"),
                    "needs a JSON pointer to the item id".into(),
                );
            }
            if m.text.is_none() {
                add(
                    format!("preset.{name}.text"),
                    "needs a JSON pointer to the item text".into(),
                );
            }
            for (field, pointer) in m.pointers() {
                if !is_pointer(pointer) {
                    add(
                        format!("preset.{name}.{field}"),
                        format!(
                            "{pointer:?} is not a JSON pointer (it starts with '/', or is empty)"
                        ),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(presets)
        } else {
            Err(problems)
        }
    }

    /// The presets shipped with langnghe.
    pub fn builtin() -> ApiPresets {
        // The shipped file is parsed by a test; should it ever fail, no presets rather than a
        // panic (sources naming one then get a clear "unknown preset" problem).
        ApiPresets::parse(BUILTIN_PRESETS, "config/api-presets.toml").unwrap_or(ApiPresets {
            version: 1,
            presets: Default::default(),
        })
    }

    /// The mapping of the preset `name`.
    pub fn get(&self, name: &str) -> Option<&JsonMapping> {
        self.presets.get(name)
    }
}

impl JsonMapping {
    /// The pointers that are set, by field name.
    fn pointers(&self) -> Vec<(&'static str, &str)> {
        [
            ("items", &self.items),
            ("id", &self.id),
            ("text", &self.text),
            ("title", &self.title),
            ("url", &self.url),
            ("published", &self.published),
            ("author", &self.author),
            ("next_cursor", &self.next_cursor),
        ]
        .into_iter()
        .filter_map(|(f, p)| p.as_deref().map(|p| (f, p)))
        .collect()
    }

    /// These fields, each set here or else from `base`.
    fn over(&self, base: &JsonMapping) -> JsonMapping {
        let or = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        JsonMapping {
            items: or(&self.items, &base.items),
            id: or(&self.id, &base.id),
            text: or(&self.text, &base.text),
            title: or(&self.title, &base.title),
            url: or(&self.url, &base.url),
            published: or(&self.published, &base.published),
            author: or(&self.author, &base.author),
            next_cursor: or(&self.next_cursor, &base.next_cursor),
            cursor_param: or(&self.cursor_param, &base.cursor_param),
        }
    }
}

/// An RFC 6901 JSON pointer: empty (the whole value) or starting with `/`.
fn is_pointer(p: &str) -> bool {
    p.is_empty() || p.starts_with('/')
}

impl SourcesConfig {
    /// Parses and validates `text` (the contents of `file`) with the built-in API presets. On
    /// failure, every problem found.
    pub fn parse(text: &str, file: &str) -> Result<SourcesConfig, Vec<ConfigProblem>> {
        SourcesConfig::parse_with(text, file, &ApiPresets::builtin())
    }

    /// [`SourcesConfig::parse`] with the given presets. A JSON source's `mapping` comes back
    /// complete: its own fields over its preset's.
    pub fn parse_with(
        text: &str,
        file: &str,
        presets: &ApiPresets,
    ) -> Result<SourcesConfig, Vec<ConfigProblem>> {
        let mut config: SourcesConfig = langnghe_model::parse_toml(text, file)?;
        let problems = config.problems(file, presets);
        if !problems.is_empty() {
            return Err(problems);
        }
        for s in &mut config.sources {
            if let Some(base) = s.preset.as_deref().and_then(|p| presets.get(p)) {
                s.mapping = s.mapping.over(base);
            }
        }
        Ok(config)
    }

    /// Every semantic problem (the file parsed, but something is missing or wrong).
    pub fn problems(&self, file: &str, presets: &ApiPresets) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        let mut add = |key: String, message: String| {
            out.push(ConfigProblem {
                file: file.to_string(),
                line: None,
                key: Some(key),
                message,
            });
        };
        if self.version != 1 {
            add(
                "version".into(),
                format!("this build reads version 1, the file says {}", self.version),
            );
        }
        let d = &self.defaults;
        if !(d.user_agent.contains("http") && d.user_agent.contains('/')) {
            add("defaults.user_agent".into(), "must name the crawler and a contact URL, e.g. \"langnghe/0.1 (+https://example.org/contact)\"".into());
        }
        if !polite_delay(d.delay_seconds) {
            add(
                "defaults.delay_seconds".into(),
                format!(
                    "must be at least 1 second per host, not {}",
                    d.delay_seconds
                ),
            );
        }
        if d.concurrency == 0 {
            add("defaults.concurrency".into(), "must be at least 1".into());
        }
        let mut seen = HashSet::new();
        for (i, s) in self.sources.iter().enumerate() {
            let at = |field: &str| format!("source[{i}] ({}).{field}", s.id);
            if let Some(problem) = langnghe_model::id_problem(&s.id) {
                add(format!("source[{i}].id"), problem);
            }
            if !seen.insert(s.id.as_str()) {
                add(at("id"), "is used by an earlier source".into());
            }
            if s.urls.is_empty() && !(s.kind == SourceKind::Sitemap && s.robots_sitemaps) {
                add(at("urls"), "needs at least one URL".into());
            }
            for (j, u) in s.urls.iter().enumerate() {
                match url::Url::parse(u) {
                    Ok(parsed)
                        if matches!(parsed.scheme(), "http" | "https")
                            && parsed.host_str().is_some() => {}
                    _ => add(
                        at(&format!("urls[{j}]")),
                        format!("{u:?} is not an http(s) URL"),
                    ),
                }
            }
            if let Some(delay) = s.delay_seconds
                && !polite_delay(delay)
            {
                add(
                    at("delay_seconds"),
                    format!("must be at least 1 second per host, not {delay}"),
                );
            }
            let only_for = |field: &str,
                            present: bool,
                            kinds: &[SourceKind],
                            out: &mut dyn FnMut(String, String)| {
                if present && !kinds.contains(&s.kind) {
                    out(
                        at(field),
                        format!("does not apply to kind = {:?}", s.kind).to_lowercase(),
                    );
                }
            };
            only_for(
                "link_selector",
                s.link_selector.is_some(),
                &[SourceKind::Listing],
                &mut add,
            );
            only_for(
                "post_selector",
                s.post_selector.is_some(),
                &[SourceKind::Forum],
                &mut add,
            );
            only_for(
                "next_selector",
                s.next_selector.is_some(),
                &[SourceKind::Listing, SourceKind::Forum],
                &mut add,
            );
            only_for(
                "url_pattern",
                s.url_pattern.is_some(),
                &[SourceKind::Sitemap, SourceKind::Listing],
                &mut add,
            );
            only_for(
                "robots_sitemaps",
                s.robots_sitemaps,
                &[SourceKind::Sitemap],
                &mut add,
            );
            only_for("preset", s.preset.is_some(), &[SourceKind::Json], &mut add);
            only_for(
                "token_env",
                s.token_env.is_some(),
                &[SourceKind::Json],
                &mut add,
            );
            match s.kind {
                SourceKind::Listing if s.link_selector.is_none() && s.url_pattern.is_none() => {
                    add(
                        at("link_selector"),
                        "a listing needs link_selector or url_pattern to choose article links"
                            .into(),
                    );
                }
                SourceKind::Forum if s.post_selector.is_none() => {
                    add(
                        at("post_selector"),
                        "a forum source needs the CSS selector of one post".into(),
                    );
                }
                SourceKind::Json => {
                    let preset = s.preset.as_deref().map(|p| (p, presets.get(p)));
                    if let Some((name, None)) = preset {
                        let known: Vec<&str> = presets.presets.keys().map(String::as_str).collect();
                        add(
                            at("preset"),
                            format!(
                                "unknown preset {name:?}, expected one of {}",
                                known.join(", ")
                            ),
                        );
                    }
                    let base = preset.and_then(|(_, m)| m).cloned().unwrap_or_default();
                    if s.mapping.id.is_none() && base.id.is_none() {
                        add(
                            at("mapping.id"),
                            "needs a JSON pointer to the item id (or a preset)".into(),
                        );
                    }
                    if s.mapping.text.is_none() && base.text.is_none() {
                        add(
                            at("mapping.text"),
                            "needs a JSON pointer to the item text (or a preset)".into(),
                        );
                    }
                    if let Some(env) = &s.token_env
                        && !env
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                    {
                        add(
                            at("token_env"),
                            format!(
                                "{env:?} should be the NAME of an environment variable, not the token"
                            ),
                        );
                    }
                }
                _ => {}
            }
            if let Some(pattern) = &s.url_pattern
                && let Err(e) = regex::Regex::new(pattern)
            {
                let first = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                add(
                    at("url_pattern"),
                    format!("{pattern:?} is not a valid regular expression: {first}"),
                );
            }
            for (field, selector) in [
                ("link_selector", &s.link_selector),
                ("next_selector", &s.next_selector),
                ("post_selector", &s.post_selector),
            ] {
                if let Some(sel) = selector
                    && scraper::Selector::parse(sel).is_err()
                {
                    add(at(field), format!("{sel:?} is not a valid CSS selector"));
                }
            }
            for (field, pointer) in [
                ("mapping.items", &s.mapping.items),
                ("mapping.id", &s.mapping.id),
                ("mapping.text", &s.mapping.text),
                ("mapping.title", &s.mapping.title),
                ("mapping.url", &s.mapping.url),
                ("mapping.published", &s.mapping.published),
                ("mapping.author", &s.mapping.author),
                ("mapping.next_cursor", &s.mapping.next_cursor),
            ] {
                if let Some(p) = pointer
                    && !(p.is_empty() || p.starts_with('/'))
                {
                    add(
                        at(field),
                        format!("{p:?} is not a JSON pointer (it starts with '/')"),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_good_file() {
        let text = r#"
version = 1
[defaults]
delay_seconds = 2
[[source]]
id = "vnexpress"
kind = "feed"
urls = ["https://vnexpress.net/rss/tin-moi-nhat.rss"]
[[source]]
id = "laodong-cong-doan"
kind = "listing"
urls = ["https://laodong.vn/cong-doan/"]
link_selector = "article h2 a"
next_selector = "a.next"
max_pages = 2
[[source]]
id = "mastodon-congnhan"
kind = "json"
preset = "mastodon"
urls = ["https://mastodon.social/api/v1/timelines/tag/congnhan"]
token_env = "MASTODON_TOKEN"
"#;
        let c = SourcesConfig::parse(text, "sources.toml").unwrap();
        assert_eq!(c.sources.len(), 3);
        assert_eq!(c.defaults.concurrency, 8);
        assert!(c.sources.iter().all(|s| s.enabled));
    }

    fn problems(text: &str) -> Vec<String> {
        SourcesConfig::parse(text, "sources.toml")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn syntax_and_unknown_keys_name_the_line() {
        let p = problems(
            "version = 1\n[[source]]\nid = \"a\"\nkind = \"feed\"\nurl = \"https://x.vn/rss\"\n",
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("sources.toml:5:1: unknown field `url`"),
            "{p:?}"
        );
        let p = problems("version = 1\n[[source]]\nid = \"a\"\nkind = \"telegram\"\n");
        assert!(
            p[0].starts_with("sources.toml:4:8: unknown variant `telegram`"),
            "{p:?}"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let p = problems(
            r#"
version = 2
[defaults]
user_agent = "bot"
delay_seconds = 0.2
[[source]]
id = "Bad Id"
kind = "listing"
urls = ["ftp://x.vn/"]
[[source]]
id = "dup"
kind = "feed"
urls = ["https://x.vn/rss"]
link_selector = "a"
[[source]]
id = "dup"
kind = "json"
preset = "twitter"
urls = ["https://api.x.vn/"]
token_env = "sk-live-123"
mapping = { items = "data" }
[[source]]
id = "f"
kind = "forum"
urls = ["https://forum.vn/t/1"]
next_selector = "a[[["
[[source]]
id = "s"
kind = "sitemap"
urls = ["https://x.vn/sitemap.xml"]
url_pattern = "-(\\d+\\.html$"
"#,
        );
        let expected = [
            "sources.toml: version: this build reads version 1, the file says 2",
            "sources.toml: defaults.user_agent: must name the crawler and a contact URL",
            "sources.toml: defaults.delay_seconds: must be at least 1 second per host, not 0.2",
            "sources.toml: source[0].id: \"Bad Id\" must be lowercase letters, digits and '-'",
            "sources.toml: source[0] (Bad Id).urls[0]: \"ftp://x.vn/\" is not an http(s) URL",
            "sources.toml: source[0] (Bad Id).link_selector: a listing needs link_selector or url_pattern",
            "sources.toml: source[1] (dup).link_selector: does not apply to kind = feed",
            "sources.toml: source[2] (dup).id: is used by an earlier source",
            "sources.toml: source[2] (dup).preset: unknown preset \"twitter\", expected one of facebook-page, mastodon, reddit, youtube-comments",
            "sources.toml: source[2] (dup).mapping.id: needs a JSON pointer",
            "sources.toml: source[2] (dup).mapping.text: needs a JSON pointer",
            "sources.toml: source[2] (dup).token_env: \"sk-live-123\" should be the NAME of an environment variable",
            "sources.toml: source[2] (dup).mapping.items: \"data\" is not a JSON pointer",
            "sources.toml: source[3] (f).post_selector: a forum source needs the CSS selector of one post",
            "sources.toml: source[3] (f).next_selector: \"a[[[\" is not a valid CSS selector",
            "sources.toml: source[4] (s).url_pattern: \"-(\\\\d+\\\\.html$\" is not a valid regular expression",
        ];
        for e in expected {
            assert!(
                p.iter().any(|x| x.starts_with(e)),
                "missing {e:?} in\n{}",
                p.join("\n")
            );
        }
        assert_eq!(p.len(), expected.len(), "{}", p.join("\n"));
    }

    #[test]
    fn the_shipped_presets_parse_and_cover_the_documented_apis() {
        let presets = ApiPresets::parse(BUILTIN_PRESETS, "config/api-presets.toml").unwrap();
        for name in ["mastodon", "reddit", "youtube-comments", "facebook-page"] {
            let m = presets.get(name).unwrap();
            assert!(m.id.is_some() && m.text.is_some(), "{name}");
        }
        assert_eq!(ApiPresets::builtin(), presets);
    }

    #[test]
    fn preset_problems_name_the_preset_and_field() {
        let p: Vec<String> = ApiPresets::parse(
            "version = 1\n[preset.x]\nid = \"id\"\n[preset.y]\ntext = \"/t\"\nid = \"/i\"\nwho = 1\n",
            "api-presets.toml",
        )
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("api-presets.toml:7:1: unknown field `who`"),
            "{p:?}"
        );
        let p: Vec<String> =
            ApiPresets::parse("version = 1\n[preset.x]\nid = \"id\"\n", "api-presets.toml")
                .unwrap_err()
                .iter()
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            p,
            [
                "api-presets.toml: preset.x.text: needs a JSON pointer to the item text",
                "api-presets.toml: preset.x.id: \"id\" is not a JSON pointer (it starts with '/', or is empty)",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_source_mapping_is_its_own_fields_over_its_presets() {
        let text = "version = 1\n[[source]]\nid = \"m\"\nkind = \"json\"\npreset = \"mastodon\"\nurls = [\"https://m.vn/api\"]\nmapping = { text = \"/spoiler_text\" }\n";
        let c = SourcesConfig::parse(text, "sources.toml").unwrap();
        let m = &c.sources[0].mapping;
        assert_eq!(m.text.as_deref(), Some("/spoiler_text"));
        assert_eq!(m.id.as_deref(), Some("/id"));
        assert_eq!(m.cursor_param.as_deref(), Some("max_id"));
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,300}") {
            let _ = SourcesConfig::parse(&s, "x.toml");
        }
    }
}
