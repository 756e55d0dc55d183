//! robots.txt as crawlers read it (RFC 9309): groups of user-agents, `Allow`/`Disallow` with `*`
//! and `$`, the longest matching rule wins (Allow on a tie), `Crawl-delay`, and `Sitemap:` lines.

/// One parsed robots.txt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    groups: Vec<Group>,
    /// `Sitemap:` URLs, in file order.
    pub sitemaps: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Group {
    agents: Vec<String>,
    rules: Vec<(bool, String)>,
    crawl_delay: Option<f64>,
}

/// What robots.txt says for one user-agent.
#[derive(Debug, Clone, PartialEq)]
pub struct RobotsRules<'a> {
    rules: Vec<&'a (bool, String)>,
    /// Seconds to wait between requests, when the site asks.
    pub crawl_delay: Option<f64>,
}

impl Robots {
    /// Parses robots.txt. Never fails: unknown lines are ignored, as crawlers must.
    ///
    /// ```
    /// use langnghe_crawl::Robots;
    /// let r = Robots::parse("User-agent: *\nDisallow: /admin\nAllow: /admin/public\nCrawl-delay: 2\nSitemap: https://x.vn/sitemap.xml");
    /// let rules = r.for_agent("langnghe");
    /// assert!(!rules.allows("/admin/users"));
    /// assert!(rules.allows("/admin/public/a.html"));
    /// assert_eq!(rules.crawl_delay, Some(2.0));
    /// assert_eq!(r.sitemaps, ["https://x.vn/sitemap.xml"]);
    /// ```
    pub fn parse(text: &str) -> Robots {
        let mut robots = Robots::default();
        let mut current: Option<Group> = None;
        // A user-agent line right after rules starts a new group.
        let mut last_was_agent = false;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !last_was_agent && let Some(g) = current.take() {
                        robots.groups.push(g);
                    }
                    current
                        .get_or_insert_with(Group::default)
                        .agents
                        .push(value.to_ascii_lowercase());
                    last_was_agent = true;
                }
                "allow" | "disallow" => {
                    last_was_agent = false;
                    if let Some(g) = current.as_mut()
                        && !(key == "disallow" && value.is_empty())
                    {
                        g.rules.push((key == "allow", value.to_string()));
                    }
                }
                "crawl-delay" => {
                    last_was_agent = false;
                    if let Some(g) = current.as_mut() {
                        g.crawl_delay = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0);
                    }
                }
                "sitemap" => robots.sitemaps.push(value.to_string()),
                _ => {}
            }
        }
        if let Some(g) = current {
            robots.groups.push(g);
        }
        robots
    }

    /// The rules for `agent` (the product token of our User-Agent, e.g. `langnghe`): the group
    /// naming it, else the `*` group, else no rules.
    pub fn for_agent(&self, agent: &str) -> RobotsRules<'_> {
        let agent = agent.to_ascii_lowercase();
        let named: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| {
                g.agents
                    .iter()
                    .any(|a| a != "*" && agent.starts_with(a.as_str()))
            })
            .collect();
        let groups = if named.is_empty() {
            self.groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect()
        } else {
            named
        };
        RobotsRules {
            rules: groups.iter().flat_map(|g| g.rules.iter()).collect(),
            crawl_delay: groups.iter().find_map(|g| g.crawl_delay),
        }
    }
}

/// Does `pattern` (with `*` and a final `$`) match the start of `path`?
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return if anchored {
            path == first
        } else {
            path.starts_with(first)
        };
    }
    if !path.starts_with(first) {
        return false;
    }
    let mut at = first.len();
    for part in &parts[1..parts.len() - 1] {
        match path[at..].find(part) {
            Some(i) => at += i + part.len(),
            None => return false,
        }
    }
    if anchored {
        path.len() >= at + last.len() && path.ends_with(last)
    } else {
        path[at..].contains(last)
    }
}

impl RobotsRules<'_> {
    /// May we fetch `path` (path and query of the URL)? The longest matching rule decides; on a
    /// tie, Allow wins; no matching rule allows.
    pub fn allows(&self, path: &str) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                if best.is_none_or(|(l, a)| len > l || (len == l && *allow && !a)) {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_wildcards_and_precedence() {
        let r = Robots::parse(
            "# comment\nUser-agent: Googlebot\nDisallow: /\n\nUser-agent: langnghe\nUser-agent: other\nDisallow: /*.pdf$\nDisallow: /search\nAllow: /search/about\n\nUser-agent: *\nDisallow: /private/\nCrawl-delay: 5\n",
        );
        let ours = r.for_agent("langnghe/0.1");
        assert!(ours.allows("/tin-tuc/a.html"));
        assert!(!ours.allows("/files/report.pdf"));
        assert!(ours.allows("/files/report.pdf?x=1"));
        assert!(!ours.allows("/search?q=a"));
        assert!(ours.allows("/search/about"));
        assert_eq!(ours.crawl_delay, None);
        let anyone = r.for_agent("somebot");
        assert!(!anyone.allows("/private/x"));
        assert_eq!(anyone.crawl_delay, Some(5.0));
        assert!(!r.for_agent("Googlebot").allows("/"));
    }

    #[test]
    fn empty_or_broken_files_allow_everything() {
        for text in [
            "",
            "garbage\n\n",
            "Disallow: /\n",
            "User-agent: *\nDisallow:\n",
        ] {
            assert!(
                Robots::parse(text).for_agent("langnghe").allows("/a"),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn random_files_and_paths_never_panic(text in "\\PC{0,200}", path in "/\\PC{0,40}") {
            let r = Robots::parse(&text);
            let _ = r.for_agent("langnghe").allows(&path);
        }

        #[test]
        fn pattern_noise_never_panics(pattern in "[/a-z*$.?=]{0,12}", path in "[/a-z.?=]{0,16}") {
            let r = Robots::parse(&format!("User-agent: *\nDisallow: {pattern}\n"));
            let _ = r.for_agent("x").allows(&path);
        }
    }
}
