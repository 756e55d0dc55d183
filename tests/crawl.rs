//! End to end: `langnghe crawl --once` against the local news site on loopback: articles reach the
//! index and the archive, politeness holds in the site's own request log, and a second crawl
//! transfers no unchanged page again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/cli.rs"]
mod cli;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use langnghe_crawl::{LocalSite, SiteArticle};
use time::macros::datetime;
use unicode_normalization::UnicodeNormalization;

fn articles() -> Vec<SiteArticle> {
    let a = |slug: &str, title: &str, lead: &str, body: &str, day: u8| {
        SiteArticle {
        slug: slug.into(),
        title: title.into(),
        lead: lead.into(),
        paragraphs: vec![body.into(), "Liên đoàn Lao động tỉnh cho biết sẽ tiếp tục theo dõi, bảo vệ quyền lợi hợp pháp của người lao động.".into()],
        published: datetime!(2026-11-20 08:30 +7).replace_day(day).unwrap(),
    }
    };
    // One site writes NFD with a zero-width space (common in the wild): what is indexed is NFC
    // and clean, what is archived is the page as published.
    let nfd = |s: &str| format!("{}\u{200B}", s.nfd().collect::<String>());
    vec![
        a(
            "cong-nhan-ngung-viec",
            "Công nhân ngừng việc vì bị nợ lương",
            "Sáng nay, khoảng 300 công nhân ngừng việc tập thể.",
            "Người lao động cho biết công ty nợ lương hai tháng và chậm đóng bảo hiểm xã hội cho công nhân.",
            23,
        ),
        a(
            "cong-doan-doi-thoai",
            &nfd("Công đoàn đối thoại với doanh nghiệp"),
            &nfd("Công đoàn cơ sở đã đối thoại với ban giám đốc về tiền lương."),
            &nfd(
                "Sau buổi đối thoại, doanh nghiệp đồng ý tăng lương cho toàn bộ người lao động từ tháng tới.",
            ),
            22,
        ),
        a(
            "luong-toi-thieu",
            "Lương tối thiểu vùng tăng từ ngày 1/1",
            "Mức lương tối thiểu vùng I tăng thêm khoảng 7%.",
            "Công đoàn kiến nghị doanh nghiệp rà soát thang lương, bảng lương để bảo đảm quyền lợi người lao động.",
            21,
        ),
    ]
}

/// Runs the binary off the async runtime, so the local site keeps answering.
/// `langnghe crawl --once --json` over `sources` into `data`, which must succeed: its report.
async fn crawl_once(data: &str, sources: &str) -> serde_json::Value {
    let (data, sources) = (data.to_string(), sources.to_string());
    let out = tokio::task::spawn_blocking(move || {
        cli::run(
            &["crawl", "--once", "--json", "--sources", &sources],
            Path::new(&data),
            None,
            &[],
        )
    })
    .await
    .unwrap();
    serde_json::from_str(&cli::ok(&out)).unwrap()
}

/// A data folder and a sources file holding one `[[source]]` table (its body given) with a
/// one-second delay; returns the folder guard, the data path and the sources path.
fn setup(source: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        format!("version = 1\n[defaults]\ndelay_seconds = 1\n[[source]]\n{source}"),
    )
    .unwrap();
    let data = dir.path().join("data").to_string_lossy().into_owned();
    (dir, data, sources.to_string_lossy().into_owned())
}

/// `langnghe search --json ARGS` over `data`, which must succeed: its answer.
fn search(data: &str, args: &[&str]) -> serde_json::Value {
    let out = cli::run(
        &[&["search", "--json"], args].concat(),
        Path::new(data),
        None,
        &[],
    );
    serde_json::from_str(&cli::ok(&out)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_once_indexes_archives_is_polite_and_refetches_nothing_unchanged() {
    let site = LocalSite::start(articles()).await.unwrap();
    let (_dir, data_s, sources_s) = setup(&format!(
        "id = \"tin-mau\"
kind = \"feed\"
urls = [\"{}/rss/tin-moi.rss\"]
",
        site.base()
    ));
    let report = crawl_once(&data_s, &sources_s).await;
    assert_eq!(report[0]["indexed"], 3, "{report}");
    // Search finds the crawled articles, with their dates from the pages.
    let v = search(&data_s, &["cong doan"]);
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == "Công đoàn đối thoại với doanh nghiệp")
        .unwrap();
    assert_eq!(hit["published"], "2026-11-22T08:30:00+07:00");
    assert!(!hit.to_string().contains('\u{200B}'), "{hit}");
    // The related box, caption, byline and comments are not in the indexed text.
    let v = search(
        &data_s,
        &["\"Ý kiến bạn đọc\" OR \"Ảnh minh họa\" OR \"Tin liên quan\""],
    );
    assert_eq!(v["total"], 0, "{v}");
    // The archive holds what was fetched.
    let url = hit["url"].as_str().unwrap();
    let archived = cli::ok(&cli::run(
        &["archive", "show", url],
        Path::new(&data_s),
        None,
        &[],
    ));
    assert!(archived.contains(&"Công đoàn cơ sở đã đối thoại".nfd().collect::<String>()));
    assert!(!archived.contains("Công đoàn cơ sở đã đối thoại"));
    // Politeness, from the site's own log: one request at a time, at least a second apart.
    let first_run = site.requests();
    for pair in first_run.windows(2) {
        assert!(pair[1].start >= pair[0].end, "overlapping requests");
        assert!(
            pair[1].start - pair[0].end >= Duration::from_millis(990),
            "{:?} then {:?}",
            pair[0].path,
            pair[1].path
        );
    }
    assert!(first_run[0].path == "/robots.txt");
    assert!(
        first_run
            .iter()
            .all(|r| r.user_agent.starts_with("langnghe/"))
    );
    // A second crawl: the feed and three conditional GETs answered 304, nothing indexed again.
    let report = crawl_once(&data_s, &sources_s).await;
    assert_eq!(
        (
            report[0]["unchanged"].as_u64(),
            report[0]["indexed"].as_u64()
        ),
        (Some(3), Some(0)),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_api_source_pages_by_cursor_with_its_token_from_the_environment() {
    let site = LocalSite::start(articles()).await.unwrap();
    let (_dir, data_s, sources_s) = setup(&format!(
        "id = \"mastodon-congnhan\"\nkind = \"json\"\npreset = \"mastodon\"\nurls = [\"{}/api/v1/timelines/tag/congnhan?limit=2\"]\ntoken_env = \"LANGNGHE_TEST_MASTODON_TOKEN\"\nmax_pages = 5\n",
        site.base()
    ));
    let run = |token: Option<&'static str>| {
        let args = vec![
            "crawl".to_string(),
            "--once".into(),
            "--json".into(),
            "--data".into(),
            data_s.clone(),
            "--sources".into(),
            sources_s.clone(),
        ];
        tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_langnghe"));
            cmd.args(&args).env_remove("LANGNGHE_TEST_MASTODON_TOKEN");
            if let Some(t) = token {
                cmd.env("LANGNGHE_TEST_MASTODON_TOKEN", t);
            }
            cmd.output().unwrap()
        })
    };
    // Without the token: a clear error naming the variable, and no request at all.
    let out = run(None).await.unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report[0]["errors"][0]
            .as_str()
            .unwrap()
            .contains("environment variable LANGNGHE_TEST_MASTODON_TOKEN is not set"),
        "{report}"
    );
    assert!(site.requests().is_empty());
    // With it: three statuses over two pages (limit=2), then an empty page ends the cursor.
    let out = run(Some(langnghe_crawl::SITE_API_TOKEN)).await.unwrap();
    let report: serde_json::Value = serde_json::from_str(&cli::ok(&out)).unwrap();
    assert_eq!(report[0]["indexed"], 3, "{report}");
    let api: Vec<_> = site
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .collect();
    assert_eq!(api.len(), 3, "{api:?}");
    assert!(api[1].path.contains("max_id=1002"), "{:?}", api[1].path);
    assert!(
        api.iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer local-demo-token"))
    );
    let v = search(&data_s, &["source:mastodon-congnhan AND cong nhan"]);
    assert!(v["total"].as_u64().unwrap() >= 1, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_thread_is_crawled_post_by_post_across_its_pages() {
    let site = LocalSite::start(articles()).await.unwrap();
    let (_dir, data_s, sources_s) = setup(&format!(
        "id = \"dien-dan\"\nkind = \"forum\"\nurls = [\"{}/dien-dan/threads/no-luong/\"]\npost_selector = \"article.message\"\nnext_selector = \"a.pageNav-jump--next\"\nmax_pages = 5\n",
        site.base()
    ));
    let report = crawl_once(&data_s, &sources_s).await;
    assert_eq!(
        (report[0]["fetched"].as_u64(), report[0]["indexed"].as_u64()),
        (Some(2), Some(3)),
        "{report}"
    );
    let v = search(&data_s, &["source:dien-dan AND \"ngừng việc\""]);
    assert_eq!(v["total"], 1, "{v}");
    // Authors and signatures are not indexed.
    let v = search(&data_s, &["thanh_vien_0 OR \"chữ ký\""]);
    assert_eq!(v["total"], 0, "{v}");
}

/// Regression: a URL was recorded as fetched (with the ETag that makes the next fetch
/// conditional) before its document was committed to the index, so a `kill -9` in between left
/// it "unchanged" for every later crawl and its article never indexed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_killed_mid_run_loses_no_article() {
    let site = LocalSite::start(articles()).await.unwrap();
    // A second source whose host accepts connections and never answers keeps the crawl running
    // after the site's articles are fetched and processed.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let site_source = format!(
        "id = \"tin-mau\"\nkind = \"feed\"\nurls = [\"{}/rss/tin-moi.rss\"]\n",
        site.base()
    );
    let (_dir, data_s, sources_s) = setup(&format!(
        "{site_source}[[source]]\nid = \"im-lang\"\nkind = \"feed\"\nurls = [\"http://{silent_addr}/rss.xml\"]\n"
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args([
            "crawl",
            "--once",
            "--data",
            &data_s,
            "--sources",
            &sources_s,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the three articles were fetched, give the writer time to process them, then
    // kill the crawl while it waits on the silent host.
    let article_requests = || {
        site.requests()
            .iter()
            .filter(|r| r.path.contains(".html"))
            .count()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while article_requests() < 3 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(article_requests(), 3, "{:?}", site.requests());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    // Crawl again (the site only): every article is found and indexed.
    let (_dir2, _, sources_only) = setup(&site_source);
    crawl_once(&data_s, &sources_only).await;
    let v = search(&data_s, &["lao dong"]);
    assert_eq!(v["total"], 3, "{v}");
}

/// A syndicated copy and its original, crawled in different runs from different sites, are one
/// story whichever comes first; the original (published first) names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_crawled_in_later_runs_join_one_story_named_by_the_original() {
    let text = "Sáng 25/11, hơn hai nghìn công nhân Công ty TNHH Giày da ở khu công nghiệp phía nam \
        tỉnh đã ngừng việc tập thể vì công ty chậm trả lương hai tháng liền. Liên đoàn Lao động tỉnh \
        đã cử cán bộ xuống nắm tình hình, đề nghị doanh nghiệp đối thoại với người lao động và sớm \
        trả đủ tiền lương còn nợ trước kỳ nghỉ Tết.";
    let article = |slug: &str, title: &str, lead: &str, hour: u8| SiteArticle {
        slug: slug.into(),
        title: title.into(),
        lead: lead.into(),
        paragraphs: vec![text.into()],
        published: datetime!(2026-11-25 00:00 +7).replace_hour(hour).unwrap(),
    };
    let original = LocalSite::start(vec![article(
        "ngung-viec",
        "Hơn hai nghìn công nhân ngừng việc",
        "Công nhân đòi trả lương đúng hạn.",
        8,
    )])
    .await
    .unwrap();
    let copier = LocalSite::start(vec![article(
        "tin-cong-nhan",
        "Công nhân ngừng việc đòi lương",
        "(Theo báo Lao Động) Công nhân đòi trả lương đúng hạn.",
        11,
    )])
    .await
    .unwrap();
    let feed = |id: &str, site: &LocalSite| {
        format!(
            "id = \"{id}\"\nkind = \"feed\"\nurls = [\"{}/rss/tin-moi.rss\"]\n",
            site.base()
        )
    };
    // The copy is crawled first, the original in a later run.
    let (_d1, data_s, copier_only) = setup(&feed("ban-sao", &copier));
    let (_d2, _, original_only) = setup(&feed("ban-goc", &original));
    for sources in [&copier_only, &original_only] {
        crawl_once(&data_s, sources).await;
    }
    let v = search(&data_s, &["--stories", "giay da"]);
    assert_eq!((&v["total"], &v["stories"]), (&2.into(), &1.into()), "{v}");
    // One story of two mentions: the copy, filed under its own story when it was crawled, was
    // re-filed under the original's when that came.
    assert_eq!(v["hits"][0]["mentions"], 2, "{v}");
}
