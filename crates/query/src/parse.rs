//! Text → [`Query`]: a hand-written lexer and recursive-descent parser that reports the column
//! (1-based, in characters) and what it expected.
//!
//! Grammar (juxtaposition is AND, as in a web search box):
//! ```text
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*
//! unary   := ("NOT" | "-") unary | ["+"] primary
//! primary := "(" or ")" | NEAR "/" n "(" text "," text ")" | OUTSIDE "(" text ("," text)+ ")"
//!          | "title:" (text | "(" or ")")
//!          | keyword-field ":" value | "published:" range | text
//! text    := word ["*"] | '"' words ['*'] '"'
//! range   := ("[" | "{") (date | "*") "TO" (date | "*") ("]" | "}") | date
//! ```

use time::{Date, Month};

use crate::ast::{KeywordField, Query, Scope, Syllable, Text};
use crate::error::QueryError;
use langnghe_vi::{Analyzer, has_marks, tokens};

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(String),
    Quoted(String),
    Open,
    Close,
    Comma,
    Minus,
    Plus,
    Field(String),
    RangeOpen(bool),
    RangeClose(bool),
    End,
}

impl Lex {
    fn describe(&self) -> String {
        match self {
            Lex::Word(w) => format!("`{w}`"),
            Lex::Quoted(q) => format!("\"{q}\""),
            Lex::Open => "`(`".into(),
            Lex::Close => "`)`".into(),
            Lex::Comma => "`,`".into(),
            Lex::Minus => "`-`".into(),
            Lex::Plus => "`+`".into(),
            Lex::Field(f) => format!("`{f}:`"),
            Lex::RangeOpen(_) => "`[`".into(),
            Lex::RangeClose(_) => "`]`".into(),
            Lex::End => "end of query".into(),
        }
    }
}

const FIELD_NAMES: [&str; 8] = [
    "title",
    "source",
    "site",
    "lang",
    "province",
    "topic",
    "sentiment",
    "published",
];

/// Words that are operators, not search terms.
fn is_keyword(w: &str) -> bool {
    matches!(w, "AND" | "OR" | "NOT" | "OUTSIDE") || w.starts_with("NEAR/")
}

fn is_special(c: char) -> bool {
    matches!(c, '(' | ')' | '"' | ',' | '[' | ']' | '{' | '}')
}

/// Splits the query into lexemes with their 1-based character columns.
fn lex(input: &str) -> Result<Vec<(Lex, usize)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // After `published:` brackets open a range; elsewhere they are errors.
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => out.push((Lex::Open, col)),
            ')' => out.push((Lex::Close, col)),
            ',' => out.push((Lex::Comma, col)),
            '[' | '{' => out.push((Lex::RangeOpen(c == '['), col)),
            ']' | '}' => out.push((Lex::RangeClose(c == ']'), col)),
            '"' | '“' | '”' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && !matches!(chars[j], '"' | '“' | '”') {
                    j += 1;
                }
                if j == chars.len() {
                    return Err(QueryError::Syntax {
                        column: col,
                        expected: "a closing `\"` for the phrase opened here".into(),
                        found: "end of query".into(),
                    });
                }
                out.push((Lex::Quoted(chars[start..j].iter().collect()), col));
                i = j + 1;
                continue;
            }
            '-' | '+' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                // Only an operator at the start of a word: `covid-19` stays one word.
                let at_word_start = out.is_empty()
                    || i == 0
                    || chars[i - 1].is_whitespace()
                    || matches!(chars[i - 1], '(' | ',');
                if at_word_start {
                    out.push((if c == '-' { Lex::Minus } else { Lex::Plus }, col));
                    i += 1;
                    continue;
                }
                return Err(QueryError::Syntax {
                    column: col,
                    expected: "a space before the operator".into(),
                    found: format!("`{c}`"),
                });
            }
            _ => {
                let start = i;
                let mut j = i;
                while j < chars.len() && !chars[j].is_whitespace() && !is_special(chars[j]) {
                    if chars[j] == ':' {
                        let name: String = chars[start..j].iter().collect();
                        let lower = name.to_lowercase();
                        if FIELD_NAMES.contains(&lower.as_str()) {
                            out.push((Lex::Field(lower), col));
                            i = j + 1;
                            break;
                        }
                        if !name.is_empty()
                            && name.len() <= 12
                            && name.chars().all(|c| c.is_ascii_alphabetic())
                        {
                            return Err(QueryError::Syntax {
                                column: col,
                                expected: format!("a field name ({})", FIELD_NAMES.join(", ")),
                                found: format!("`{name}:`"),
                            });
                        }
                    }
                    j += 1;
                }
                if i > start {
                    continue; // a field was pushed
                }
                out.push((Lex::Word(chars[start..j].iter().collect()), col));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.push((Lex::End, chars.len() + 1));
    Ok(out)
}

struct Parser {
    lexemes: Vec<(Lex, usize)>,
    at: usize,
    /// Parentheses and negations open around the current position.
    depth: usize,
}

/// Parentheses and negations a query may nest: the parser and everything that reads its tree
/// recurse, and a hostile query of 20,000 `(` would otherwise overflow the stack and abort the
/// process (a server with it).
pub const MAX_NESTING: usize = 64;

/// Parses a query. Errors name the column and what was expected there.
///
/// ```
/// use langnghe_query::parse;
/// // Adjacent words form one phrase: Vietnamese words are several syllables.
/// let q = parse("cong nhan AND (đình công OR ngừng việc) -title:quảng").unwrap();
/// assert_eq!(q.to_string(), "(\"cong nhan\" AND (\"đình công\" OR \"ngừng việc\") AND NOT title:quảng)");
/// let e = parse("(cong doan").unwrap_err();
/// assert_eq!(e.to_string(), "column 11: expected `)` to close `(` at column 1, found end of query");
/// ```
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let lexemes = lex(input)?;
    let mut p = Parser {
        lexemes,
        at: 0,
        depth: 0,
    };
    if p.peek() == &Lex::End {
        return Err(QueryError::Empty);
    }
    let q = p.or()?;
    match p.peek() {
        Lex::End => Ok(q),
        Lex::Close => Err(p.error("an operator or a term (this `)` closes nothing)")),
        _ => Err(p.error("end of query")),
    }
}

impl Parser {
    fn peek(&self) -> &Lex {
        &self.lexemes[self.at].0
    }

    fn column(&self) -> usize {
        self.lexemes[self.at].1
    }

    fn next(&mut self) -> (Lex, usize) {
        let item = self.lexemes[self.at].clone();
        if self.at + 1 < self.lexemes.len() {
            self.at += 1;
        }
        item
    }

    fn error(&self, expected: impl Into<String>) -> QueryError {
        QueryError::Syntax {
            column: self.column(),
            expected: expected.into(),
            found: self.peek().describe(),
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Lex::Word(x) if x == w)
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.and()?];
        while self.is_word("OR") {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut joinable = self.starts_bare_text();
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Lex::End | Lex::Close | Lex::Comma => break,
                Lex::Word(w) if w == "OR" => break,
                Lex::Word(w) if w == "AND" => {
                    self.next();
                    joinable = self.starts_bare_text();
                    parts.push(self.unary()?);
                }
                Lex::Word(w) if joinable && !is_keyword(w) => {
                    // A bare word right after bare text continues its phrase: `công đoàn`,
                    // `title:công đoàn`, and `-xuất khẩu` (the negated phrase).
                    let last = match parts.last_mut() {
                        Some(Query::Not(inner)) => match inner.as_mut() {
                            Query::Text(t) => Some(t),
                            _ => None,
                        },
                        Some(Query::Text(t)) => Some(t),
                        _ => None,
                    };
                    match last {
                        Some(t) if !t.quoted && !t.prefix => {
                            let next = self.text(t.scope)?;
                            t.syllables.extend(next.syllables);
                            t.prefix = next.prefix;
                        }
                        _ => {
                            joinable = self.starts_bare_text();
                            parts.push(self.unary()?);
                        }
                    }
                }
                _ => {
                    joinable = self.starts_bare_text();
                    parts.push(self.unary()?);
                }
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::And(parts)
        })
    }

    /// True if the next operand is a bare word, optionally behind `-`, `NOT` or `title:`:
    /// the kind of operand that following bare words extend into a phrase.
    fn starts_bare_text(&self) -> bool {
        let bare =
            |i: usize| matches!(self.lexemes.get(i), Some((Lex::Word(w), _)) if !is_keyword(w));
        match self.peek() {
            Lex::Word(w) if w == "NOT" => bare(self.at + 1),
            Lex::Word(w) => !is_keyword(w),
            Lex::Minus => bare(self.at + 1),
            Lex::Field(f) if f == "title" => bare(self.at + 1),
            _ => false,
        }
    }

    /// One level deeper (a `(` or a negation), or an error past [`MAX_NESTING`].
    fn deeper(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(format!(
                "at most {MAX_NESTING} nested parentheses and negations"
            )));
        }
        Ok(())
    }

    /// `-x` or `NOT x`, at the current `-` or `NOT`: one level deeper (see [`MAX_NESTING`]).
    fn negation(&mut self) -> Result<Query, QueryError> {
        self.deeper()?;
        self.next();
        let q = Query::Not(Box::new(self.unary()?));
        self.depth -= 1;
        Ok(q)
    }

    fn unary(&mut self) -> Result<Query, QueryError> {
        match self.peek() {
            Lex::Minus => self.negation(),
            Lex::Word(w) if w == "NOT" => self.negation(),
            Lex::Plus => {
                self.next();
                self.primary()
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Query, QueryError> {
        let col = self.column();
        match self.peek().clone() {
            Lex::Open => {
                self.deeper()?;
                self.next();
                let q = self.or()?;
                if self.peek() != &Lex::Close {
                    return Err(self.error(format!("`)` to close `(` at column {col}")));
                }
                self.next();
                self.depth -= 1;
                Ok(q)
            }
            Lex::Word(w) if w.starts_with("NEAR/") => self.near(&w, col),
            Lex::Word(w) if w == "OUTSIDE" => self.outside(col),
            Lex::Word(w) if w == "AND" || w == "OR" || w == "NOT" => {
                Err(self.error("a term, a phrase or `(` before the operator"))
            }
            Lex::Word(_) | Lex::Quoted(_) => Ok(Query::Text(self.text(Scope::All)?)),
            Lex::Field(name) => {
                self.next();
                self.field(&name, col)
            }
            _ => Err(self.error("a term, a phrase or `(`")),
        }
    }

    fn near(&mut self, word: &str, col: usize) -> Result<Query, QueryError> {
        let distance: u32 = word["NEAR/".len()..]
            .parse()
            .map_err(|_| QueryError::Syntax {
                column: col + 5,
                expected: "a distance in syllables after `NEAR/` (NEAR/5(a, b))".into(),
                found: format!("`{}`", &word["NEAR/".len()..]),
            })?;
        self.next();
        if self.peek() != &Lex::Open {
            return Err(self.error("`(` after NEAR/n"));
        }
        self.next();
        let left = self.near_operand()?;
        if self.peek() != &Lex::Comma {
            return Err(self.error("`,` between the two NEAR operands"));
        }
        self.next();
        let right = self.near_operand()?;
        if self.peek() != &Lex::Close {
            return Err(self.error(format!("`)` to close NEAR at column {col}")));
        }
        self.next();
        Ok(Query::Near {
            distance,
            left,
            right,
        })
    }

    fn outside(&mut self, col: usize) -> Result<Query, QueryError> {
        self.next();
        if self.peek() != &Lex::Open {
            return Err(self.error("`(` after OUTSIDE"));
        }
        self.next();
        let phrase = self.near_operand()?;
        let mut within = Vec::new();
        while self.peek() == &Lex::Comma {
            self.next();
            let column = self.column();
            let longer = self.near_operand()?;
            // Where the longer phrase holds the phrase, syllable by syllable without diacritics.
            let n = phrase.syllables.len();
            let offset = (0..longer.syllables.len().saturating_sub(n - 1)).find(|&k| {
                longer.syllables[k..k + n]
                    .iter()
                    .zip(&phrase.syllables)
                    .all(|(a, b)| a.folded == b.folded)
            });
            let Some(offset) = offset else {
                return Err(QueryError::Syntax {
                    column,
                    expected: format!("a longer phrase that holds `{}`", show_syllables(&phrase)),
                    found: format!("`{}`", show_syllables(&longer)),
                });
            };
            within.push((longer, offset as u32));
        }
        if within.is_empty() {
            return Err(self.error("`,` and the longer phrases to leave out (OUTSIDE(a, x a))"));
        }
        if self.peek() != &Lex::Close {
            return Err(self.error(format!("`)` to close OUTSIDE at column {col}")));
        }
        self.next();
        Ok(Query::Outside { phrase, within })
    }

    /// A NEAR operand: a term, a quoted phrase, or adjacent bare words (a phrase).
    fn near_operand(&mut self) -> Result<Text, QueryError> {
        let mut t = self.text(Scope::All)?;
        while !t.quoted && !t.prefix && matches!(self.peek(), Lex::Word(_)) {
            let next = self.text(Scope::All)?;
            t.syllables.extend(next.syllables);
            t.prefix = next.prefix;
        }
        Ok(t)
    }

    fn field(&mut self, name: &str, col: usize) -> Result<Query, QueryError> {
        if name == "title" {
            if self.peek() == &Lex::Open {
                let q = self.primary()?;
                return Ok(scope_title(&q));
            }
            return Ok(Query::Text(self.text(Scope::Title)?));
        }
        if name == "published" {
            return self.published();
        }
        let field = KeywordField::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(f, _)| *f)
            .ok_or_else(|| QueryError::Syntax {
                column: col,
                expected: "a field name".into(),
                found: format!("`{name}:`"),
            })?;
        let value = match self.peek().clone() {
            Lex::Word(w) | Lex::Quoted(w) if !w.trim().is_empty() => w,
            _ => return Err(self.error(format!("a value after `{name}:`"))),
        };
        self.next();
        let mut value = value.trim().to_lowercase();
        if field == KeywordField::Site {
            value = value.trim_start_matches("www.").to_string();
        }
        Ok(Query::Keyword { field, value })
    }

    fn published(&mut self) -> Result<Query, QueryError> {
        match self.peek().clone() {
            Lex::Word(w) => {
                let col = self.column();
                let day = parse_date(&w, col)?;
                self.next();
                Ok(Query::Published {
                    from: Some(day),
                    to: Some(day),
                })
            }
            Lex::RangeOpen(inclusive_from) => {
                self.next();
                let from = self.range_end()?;
                if !self.is_word("TO") {
                    return Err(self.error("`TO` between the two dates"));
                }
                self.next();
                let to = self.range_end()?;
                let inclusive_to = match self.peek() {
                    Lex::RangeClose(inclusive) => *inclusive,
                    _ => return Err(self.error("`]` or `}` to close the date range")),
                };
                self.next();
                // `{a TO b}` excludes the end days themselves.
                let from = if inclusive_from {
                    from
                } else {
                    from.and_then(Date::next_day)
                };
                let to = if inclusive_to {
                    to
                } else {
                    to.and_then(Date::previous_day)
                };
                Ok(Query::Published { from, to })
            }
            _ => Err(self.error("a date (2026-11-26) or a range ([2026-11-01 TO 2026-11-30])")),
        }
    }

    fn range_end(&mut self) -> Result<Option<Date>, QueryError> {
        let col = self.column();
        match self.peek().clone() {
            Lex::Word(w) if w == "*" => {
                self.next();
                Ok(None)
            }
            Lex::Word(w) => {
                let d = parse_date(&w, col)?;
                self.next();
                Ok(Some(d))
            }
            _ => Err(self.error("a date (YYYY-MM-DD) or `*`")),
        }
    }

    fn text(&mut self, scope: Scope) -> Result<Text, QueryError> {
        let col = self.column();
        let (raw, quoted) = match self.peek().clone() {
            Lex::Word(w) => (w, false),
            Lex::Quoted(q) => (q, true),
            _ => return Err(self.error("a term or a \"phrase\"")),
        };
        self.next();
        let trimmed = raw.trim_end();
        let prefix = trimmed.ends_with('*');
        let body = trimmed.trim_end_matches('*');
        let (syllables, clause_break) = analyse(body);
        if syllables.is_empty() {
            return Err(QueryError::Syntax {
                column: col,
                expected: "a term with at least one letter or digit".into(),
                found: format!("`{raw}`"),
            });
        }
        // Text is indexed with a gap at every clause break, so a phrase that spans one could
        // never match: say so instead of finding nothing.
        if quoted && clause_break {
            return Err(QueryError::Syntax {
                column: col,
                expected: "a phrase within one clause (a phrase never spans `,` `.` `;` `:`; \
                           NEAR/2(a, b) finds words on both sides)"
                    .into(),
                found: format!("`\"{raw}\"`"),
            });
        }
        Ok(Text {
            syllables,
            prefix,
            scope,
            quoted,
        })
    }
}

/// A phrase's syllables as typed (exact when marked), for messages.
fn show_syllables(t: &Text) -> String {
    t.syllables
        .iter()
        .map(|s| s.term())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits typed text into syllables with the same analyzers the index uses, and tells whether
/// the analyzers put a clause gap inside it ("thừa việc, thiếu người").
pub(crate) fn analyse(text: &str) -> (Vec<Syllable>, bool) {
    let exact = tokens(text, Analyzer::Exact);
    let folded = tokens(text, Analyzer::Folded);
    let clause_break = exact.windows(2).any(|w| w[1].position != w[0].position + 1);
    let syllables = exact
        .into_iter()
        .zip(folded)
        .map(|(e, f)| Syllable {
            marked: has_marks(&text[e.offset_from..e.offset_to]),
            exact: e.text,
            folded: f.text,
        })
        .collect();
    (syllables, clause_break)
}

fn scope_title(q: &Query) -> Query {
    q.map_texts(&|t| Text {
        scope: Scope::Title,
        ..t.clone()
    })
}

fn parse_date(word: &str, column: usize) -> Result<Date, QueryError> {
    let bad = || QueryError::Syntax {
        column,
        expected: "a date as YYYY-MM-DD".into(),
        found: format!("`{word}`"),
    };
    let mut parts = word.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let day: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn show(q: &str) -> String {
        parse(q).unwrap().to_string()
    }

    fn err(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn terms_phrases_and_operators() {
        assert_eq!(show("công đoàn"), "\"công đoàn\"");
        assert_eq!(show("\"Công  Đoàn\""), "\"công đoàn\"");
        assert_eq!(show("luong AND thuong"), "(luong AND thuong)");
        assert_eq!(show("a OR b c"), "(a OR \"b c\")");
        assert_eq!(show("-lương thực"), "NOT \"lương thực\"");
        assert_eq!(
            show("lao động -xuất khẩu"),
            "(\"lao động\" AND NOT \"xuất khẩu\")"
        );
        assert_eq!(show("(NOT a) b"), "(NOT a AND b)");
        assert_eq!(show("(a OR b) c d"), "((a OR b) AND \"c d\")");
        assert_eq!(show("NOT công đoàn"), "NOT \"công đoàn\"");
        assert_eq!(show("NOT (a OR b)"), "NOT (a OR b)");
        assert_eq!(show("+a -b"), "(a AND NOT b)");
        assert_eq!(show("covid-19"), "\"covid 19\"");
        assert_eq!(show("công*"), "công*");
        assert_eq!(show("\"người lao đ*\""), "\"người lao đ*\"");
    }

    #[test]
    fn fields_and_ranges() {
        assert_eq!(show("title:công đoàn"), "title:\"công đoàn\"");
        assert_eq!(show("title:(a OR b)"), "(title:a OR title:b)");
        assert_eq!(show("source:VnExpress.net"), "source:vnexpress.net");
        assert_eq!(show("site:www.dantri.com.vn"), "site:dantri.com.vn");
        assert_eq!(show("lang:vi"), "lang:vi");
        assert_eq!(
            show("published:[2026-11-01 TO 2026-11-30]"),
            "published:[2026-11-01 TO 2026-11-30]"
        );
        assert_eq!(
            show("published:{2026-11-01 TO *]"),
            "published:[2026-11-02 TO *]"
        );
        assert_eq!(
            show("published:2026-11-26"),
            "published:[2026-11-26 TO 2026-11-26]"
        );
    }

    #[test]
    fn relaxing_phrases_keeps_quotes_negations_and_near() {
        let relaxed = |q: &str| parse(q).unwrap().relaxed().map(|r| r.to_string());
        assert_eq!(
            relaxed("tang luong toi thieu").as_deref(),
            Some("(tang AND luong AND toi AND thieu)")
        );
        assert_eq!(relaxed("\"công đoàn\" OR luong"), None);
        assert_eq!(relaxed("x -cong doan"), None);
        assert_eq!(relaxed("NEAR/2(a b, c)"), None);
        assert_eq!(relaxed("lao độ*").as_deref(), Some("(lao AND độ*)"));
    }

    #[test]
    fn near() {
        assert_eq!(
            show("NEAR/5(công nhân, \"đình công\")"),
            "NEAR/5(\"công nhân\", \"đình công\")"
        );
    }

    #[test]
    fn outside() {
        assert_eq!(
            show("OUTSIDE(đình công, gia đình công, \"đình công nhân\")"),
            "OUTSIDE(\"đình công\", \"gia đình công\", \"đình công nhân\")"
        );
        let Query::Outside { within, .. } = parse("OUTSIDE(đình công, gia đình công)").unwrap()
        else {
            panic!()
        };
        assert_eq!(within[0].1, 1, "đình công starts at the second syllable");
        assert_eq!(
            err("OUTSIDE(đình công, công nhân)"),
            "column 20: expected a longer phrase that holds `đình công`, found `công nhân`"
        );
        assert_eq!(
            err("OUTSIDE(đình công)"),
            "column 18: expected `,` and the longer phrases to leave out (OUTSIDE(a, x a)), found `)`"
        );
        assert_eq!(
            err("OUTSIDE đình công"),
            "column 9: expected `(` after OUTSIDE, found `đình`"
        );
    }

    #[test]
    fn diacritic_marking_per_syllable() {
        let Query::Text(t) = parse("cong đoàn").unwrap() else {
            panic!()
        };
        assert_eq!(
            t.syllables.iter().map(|s| s.marked).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(t.syllables[1].exact, "đoàn");
        assert_eq!(t.syllables[1].folded, "doan");
        // New-style tone placement is canonicalised like documents are.
        let Query::Text(t) = parse("hoà").unwrap() else {
            panic!()
        };
        assert_eq!(t.syllables[0].exact, "hòa");
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = |n: usize| format!("{}cong{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&deep(MAX_NESTING)).is_ok());
        assert_eq!(
            err(&deep(MAX_NESTING + 1)),
            format!(
                "column {}: expected at most {MAX_NESTING} nested parentheses and negations, found `(`",
                MAX_NESTING + 1
            )
        );
        // 20,000 deep would overflow the stack of the parser and abort the process.
        assert!(parse(&deep(20_000)).is_err());
        assert!(parse(&format!("{}cong", "NOT ".repeat(20_000))).is_err());
        assert!(parse(&format!("{}cong", "-".repeat(20_000))).is_err());
        assert!(
            parse(&format!(
                "{}cong{}",
                "title:(".repeat(20_000),
                ")".repeat(20_000)
            ))
            .is_err()
        );
        assert!(parse(&format!("{}cong", "NOT ".repeat(MAX_NESTING))).is_ok());
    }

    #[test]
    fn errors_name_column_and_expectation() {
        assert_eq!(
            err("(cong doan"),
            "column 11: expected `)` to close `(` at column 1, found end of query"
        );
        assert_eq!(
            err("cong AND"),
            "column 9: expected a term, a phrase or `(`, found end of query"
        );
        assert_eq!(
            err("a OR OR b"),
            "column 6: expected a term, a phrase or `(` before the operator, found `OR`"
        );
        assert_eq!(
            err("\"công đoàn"),
            "column 1: expected a closing `\"` for the phrase opened here, found end of query"
        );
        assert_eq!(
            err("autor:x"),
            "column 1: expected a field name (title, source, site, lang, province, topic, sentiment, published), found `autor:`"
        );
        assert_eq!(
            err("published:[2026-13-01 TO *]"),
            "column 12: expected a date as YYYY-MM-DD, found `2026-13-01`"
        );
        assert_eq!(
            err("published:[2026-11-01 *]"),
            "column 23: expected `TO` between the two dates, found `*`"
        );
        assert_eq!(
            err("NEAR/3(a b)"),
            "column 11: expected `,` between the two NEAR operands, found `)`"
        );
        // A phrase across a comma could never match (the index has a clause gap there).
        assert_eq!(
            err("lao động \"thừa việc, thiếu người\""),
            "column 10: expected a phrase within one clause (a phrase never spans `,` `.` `;` `:`; \
             NEAR/2(a, b) finds words on both sides), found `\"thừa việc, thiếu người\"`"
        );
        assert!(
            parse("\"2,5 triệu\"").is_ok(),
            "a decimal comma is no clause break"
        );
        assert_eq!(
            err("a )"),
            "column 3: expected an operator or a term (this `)` closes nothing), found `)`"
        );
        assert_eq!(
            err("   "),
            "empty query: type a word, a \"phrase\" or a field such as source:dantri.com.vn"
        );
        assert_eq!(
            err("!!!"),
            "column 1: expected a term with at least one letter or digit, found `!!!`"
        );
    }

    proptest! {
        #[test]
        fn random_queries_never_panic(s in "\\PC{0,60}") {
            let _ = parse(&s);
        }

        #[test]
        fn query_shaped_noise_never_panics(s in "[a-zđôơư \"()*:,\\[\\]{}+-]{0,20}|(AND|OR|NOT|NEAR/2|OUTSIDE|title:|published:|TO|\\(|\\)|\"|cong|đoàn|\\*|,| )*") {
            if let Ok(q) = parse(&s) {
                // What the parser understood can be parsed again to the same tree.
                let again = parse(&q.to_string());
                prop_assert!(again.is_ok(), "{} -> {}", s, q);
            }
        }
    }
}
