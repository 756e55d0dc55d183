//! The archive: every fetched response as a WARC record (ISO 28500, WARC/1.1), so any document
//! can be re-extracted and shown as evidence of what the site published.
//!
//! Files are `langnghe-YYYYMMDDHHMMSS-PID.warc.gz` under the archive folder, one gzip member per
//! record (the usual `.warc.gz` layout, readable by standard WARC tools), a `warcinfo` record first.
//! Each record is flushed and synced before the writer returns, so a document indexed after its
//! record was written can always be shown again. The stored HTTP block carries the decoded body:
//! `Content-Encoding` and `Transfer-Encoding` are dropped and `Content-Length` states its length.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::fetch::Page;

/// Why the archive could not be written or read, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// An I/O error on a file or folder.
    #[error("archive {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A record that does not follow the WARC format.
    #[error("archive {path}: malformed record at byte {offset}: {what}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Offset of the record in the uncompressed stream.
        offset: u64,
        /// What is wrong.
        what: String,
    },
}

/// Where a record was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveRef {
    /// File name inside the archive folder.
    pub file: String,
    /// `WARC-Record-ID`.
    pub record_id: String,
}

/// Files grow to about this size before a new one is started.
const MAX_FILE_BYTES: u64 = 1 << 30;

/// Appends WARC records to the archive folder.
pub struct WarcWriter {
    dir: PathBuf,
    current: Option<(String, File, u64)>,
    counter: u64,
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer = 0u64;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn sha1_label(data: &[u8]) -> String {
    format!("sha1:{}", base32(&Sha1::digest(data)))
}

/// A record id in `urn:uuid` form, derived from what makes the record unique.
fn record_id(seed: &str) -> String {
    let h = Sha1::digest(seed.as_bytes());
    let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-4{}-a{}-{}>",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

impl WarcWriter {
    /// A writer into `dir` (created if missing). Nothing is written until the first record.
    pub fn open(dir: &Path) -> Result<WarcWriter, ArchiveError> {
        std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(WarcWriter {
            dir: dir.to_path_buf(),
            current: None,
            counter: 0,
        })
    }

    fn io(&self, name: &str, source: std::io::Error) -> ArchiveError {
        ArchiveError::Io {
            path: self.dir.join(name),
            source,
        }
    }

    fn write_record(
        &mut self,
        headers: &[(&str, String)],
        block: &[u8],
    ) -> Result<(), ArchiveError> {
        if self
            .current
            .as_ref()
            .is_none_or(|(_, _, size)| *size > MAX_FILE_BYTES)
        {
            let now = OffsetDateTime::now_utc();
            let name = format!(
                "langnghe-{:04}{:02}{:02}{:02}{:02}{:02}-{}.warc.gz",
                now.year(),
                u8::from(now.month()),
                now.day(),
                now.hour(),
                now.minute(),
                now.second(),
                std::process::id()
            );
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join(&name))
                .map_err(|e| self.io(&name, e))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            self.current = Some((name, file, size));
            let info = format!(
                "software: langnghe/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
                env!("CARGO_PKG_VERSION")
            );
            let date = now.format(&Rfc3339).unwrap_or_default();
            let id = record_id(&format!("warcinfo {date} {}", self.counter));
            self.write_record(
                &[
                    ("WARC-Type", "warcinfo".into()),
                    ("WARC-Record-ID", id),
                    ("WARC-Date", date),
                    ("Content-Type", "application/warc-fields".into()),
                ],
                info.as_bytes(),
            )?;
        }
        let mut record = Vec::with_capacity(block.len() + 512);
        record.extend_from_slice(b"WARC/1.1\r\n");
        for (k, v) in headers {
            record.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        record.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
        record.extend_from_slice(block);
        record.extend_from_slice(b"\r\n\r\n");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let compressed = gz.write_all(&record).and_then(|()| gz.finish());
        let Some((name, file, size)) = self.current.as_mut() else {
            return Ok(());
        };
        let name = name.clone();
        let compressed = compressed.map_err(|e| ArchiveError::Io {
            path: self.dir.join(&name),
            source: e,
        })?;
        file.write_all(&compressed)
            .and_then(|()| file.sync_data())
            .map_err(|e| ArchiveError::Io {
                path: self.dir.join(&name),
                source: e,
            })?;
        *size += compressed.len() as u64;
        Ok(())
    }

    /// Writes a fetched page as a `response` record and syncs it to disk.
    pub fn write_response(&mut self, page: &Page) -> Result<ArchiveRef, ArchiveError> {
        self.counter += 1;
        let mut block = format!("HTTP/1.1 {} \r\n", page.status).into_bytes();
        for (k, v) in &page.headers {
            if k.eq_ignore_ascii_case("content-encoding")
                || k.eq_ignore_ascii_case("transfer-encoding")
                || k.eq_ignore_ascii_case("content-length")
            {
                continue;
            }
            block.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        block.extend_from_slice(format!("Content-Length: {}\r\n\r\n", page.body.len()).as_bytes());
        block.extend_from_slice(&page.body);
        let date = page.fetched_at.format(&Rfc3339).unwrap_or_default();
        let id = record_id(&format!(
            "{} {date} {} {}",
            page.final_url,
            std::process::id(),
            self.counter
        ));
        let mut headers = vec![
            ("WARC-Type", "response".to_string()),
            ("WARC-Record-ID", id.clone()),
            ("WARC-Date", date),
            ("WARC-Target-URI", page.final_url.clone()),
            (
                "Content-Type",
                "application/http; msgtype=response".to_string(),
            ),
            ("WARC-Block-Digest", sha1_label(&block)),
            ("WARC-Payload-Digest", sha1_label(&page.body)),
        ];
        if page.final_url != page.url {
            headers.push(("WARC-Refers-To-Target-URI", page.url.clone()));
        }
        self.write_record(&headers, &block)?;
        let file = self
            .current
            .as_ref()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        Ok(ArchiveRef {
            file,
            record_id: id,
        })
    }
}

/// One archived response.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedResponse {
    /// `WARC-Target-URI`.
    pub url: String,
    /// `WARC-Date`.
    pub date: String,
    /// `WARC-Record-ID`.
    pub record_id: String,
    /// The archive file.
    pub file: PathBuf,
    /// HTTP status.
    pub status: u16,
    /// HTTP headers as stored.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    buf.clear();
    reader.read_until(b'\n', buf)
}

/// Every `response` record of one archive file, in order.
pub fn read_responses(path: &Path) -> Result<Vec<ArchivedResponse>, ArchiveError> {
    let io = |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let mut reader = BufReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)));
    let mut out = Vec::new();
    let mut line = Vec::new();
    let mut offset = 0u64;
    loop {
        let n = read_line(&mut reader, &mut line).map_err(io)?;
        if n == 0 {
            return Ok(out);
        }
        offset += n as u64;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let start = offset - n as u64;
        let malformed = move |what: &str| ArchiveError::Malformed {
            path: path.to_path_buf(),
            offset: start,
            what: what.to_string(),
        };
        if !line.starts_with(b"WARC/") {
            return Err(malformed("expected a WARC/1.x version line"));
        }
        let mut fields = Vec::new();
        loop {
            let n = read_line(&mut reader, &mut line).map_err(io)?;
            offset += n as u64;
            if n == 0 {
                return Err(malformed("record ends inside its header"));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end();
            if text.is_empty() {
                break;
            }
            if let Some((k, v)) = text.split_once(':') {
                fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let length: u64 = field("content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| malformed("no Content-Length"))?;
        if length > 1 << 31 {
            return Err(malformed("record larger than 2 GiB"));
        }
        let mut block = vec![0u8; length as usize];
        reader
            .read_exact(&mut block)
            .map_err(|_| malformed("record shorter than its Content-Length"))?;
        offset += length;
        if field("warc-type").as_deref() != Some("response") {
            continue;
        }
        let split = block
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| malformed("HTTP block without a header end"))?;
        let head = String::from_utf8_lossy(&block[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        out.push(ArchivedResponse {
            url: field("warc-target-uri").unwrap_or_default(),
            date: field("warc-date").unwrap_or_default(),
            record_id: field("warc-record-id").unwrap_or_default(),
            file: path.to_path_buf(),
            status,
            headers,
            body: block[split + 4..].to_vec(),
        });
    }
}

/// The newest archived response for `url` (compared after canonicalisation) in `dir`.
pub fn find_response(dir: &Path, url: &str) -> Result<Option<ArchivedResponse>, ArchiveError> {
    let wanted = crate::urls::canonical_url(url).unwrap_or_else(|| url.to_string());
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ArchiveError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    files.sort();
    for file in files.iter().rev() {
        let found = read_responses(file)?.into_iter().rev().find(|r| {
            crate::urls::canonical_url(&r.url).unwrap_or_else(|| r.url.clone()) == wanted
        });
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::Validators;

    fn page(url: &str, body: &str) -> Page {
        Page {
            url: url.into(),
            final_url: url.into(),
            status: 200,
            content_type: Some("text/html; charset=utf-8".into()),
            headers: vec![
                ("content-type".into(), "text/html; charset=utf-8".into()),
                ("content-encoding".into(), "gzip".into()),
            ],
            body: body.as_bytes().to_vec(),
            validators: Validators::default(),
            fetched_at: OffsetDateTime::now_utc(),
        }
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(sha1_label(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn responses_round_trip_and_the_newest_copy_wins() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(dir.path()).unwrap();
        w.write_response(&page(
            "https://laodong.vn/a.html",
            "<p>Công đoàn, bản 1</p>",
        ))
        .unwrap();
        w.write_response(&page("https://laodong.vn/b.html", "<p>Khác</p>"))
            .unwrap();
        let r = w
            .write_response(&page(
                "https://laodong.vn/a.html",
                "<p>Công đoàn, bản 2</p>",
            ))
            .unwrap();
        let found = find_response(dir.path(), "http://www.laodong.vn/a.html?utm_source=x")
            .unwrap()
            .unwrap();
        assert_eq!(found.body, "<p>Công đoàn, bản 2</p>".as_bytes());
        assert_eq!(found.record_id, r.record_id);
        assert_eq!(found.status, 200);
        assert!(
            found
                .headers
                .iter()
                .all(|(k, _)| !k.eq_ignore_ascii_case("content-encoding"))
        );
        assert_eq!(read_responses(&found.file).unwrap().len(), 3);
        assert!(
            find_response(dir.path(), "https://laodong.vn/none.html")
                .unwrap()
                .is_none()
        );
    }

    proptest::proptest! {
        #[test]
        fn random_records_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400), header in "(WARC/1.1\r\n)?(WARC-Type: response\r\n)?(Content-Length: [0-9]{1,4}\r\n)?\r\n") {
            let dir = tempfile::tempdir().unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(header.as_bytes()).unwrap();
            gz.write_all(&body).unwrap();
            std::fs::write(dir.path().join("x.warc.gz"), gz.finish().unwrap()).unwrap();
            let _ = find_response(dir.path(), "https://x.vn/");
            std::fs::write(dir.path().join("y.warc.gz"), &body).unwrap();
            let _ = find_response(dir.path(), "https://x.vn/");
        }
    }

    #[test]
    fn a_damaged_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.warc.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nshort")
            .unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let err = find_response(dir.path(), "https://x.vn/").unwrap_err();
        assert!(err.to_string().contains("bad.warc.gz"), "{err}");
        assert!(
            err.to_string().contains("shorter than its Content-Length"),
            "{err}"
        );
    }
}
