//! The tokenizer. Newlines are not significant; `#` starts a comment that
//! runs to the end of the line. Lexical errors are recorded and lexing goes
//! on, so the parser still sees the rest of the file.

use std::ops::Range;

use super::ast::{FileId, Span};
use super::error::SpecError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare word: `[A-Za-z0-9_.:/$*-]+`. A `:` belongs to the word only
    /// when a word character follows it (`arn:aws:…`), so `key: value` and
    /// `key:value` both lex the key alone; a word never swallows `->`.
    Word(String),
    /// A quoted string, unescaped.
    Str(String),
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Semi,
    Eq,
    Pipe,
    Arrow,
    /// A character outside the language, already reported (E004). The
    /// parser reports nothing more at it, so one typo gives one error.
    Invalid,
    Eof,
}

impl Tok {
    /// How the token is named in "expected …, found …".
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Str(s) => format!("string `\"{s}\"`"),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Semi => "`;`".into(),
            Tok::Eq => "`=`".into(),
            Tok::Pipe => "`|`".into(),
            Tok::Arrow => "`->`".into(),
            Tok::Invalid => "an invalid character".into(),
            Tok::Eof => "end of file".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub range: Range<usize>,
    /// For strings: the content maps byte-for-byte onto the source (no
    /// escapes), so offsets inside it can be turned into spans.
    pub exact: bool,
}

pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'/' | b'$' | b'*' | b'-')
}

/// Splits `text` into tokens (always ending with [`Tok::Eof`]).
pub fn lex(file: FileId, text: &str, errors: &mut Vec<SpecError>) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let span = |r: Range<usize>| Span::new(file, r);
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |t: Tok| Token { tok: t, range: start..start + 1, exact: true };
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                out.push(single(Tok::LParen));
                i += 1;
            }
            b')' => {
                out.push(single(Tok::RParen));
                i += 1;
            }
            b'{' => {
                out.push(single(Tok::LBrace));
                i += 1;
            }
            b'}' => {
                out.push(single(Tok::RBrace));
                i += 1;
            }
            b'[' => {
                out.push(single(Tok::LBracket));
                i += 1;
            }
            b']' => {
                out.push(single(Tok::RBracket));
                i += 1;
            }
            b',' => {
                out.push(single(Tok::Comma));
                i += 1;
            }
            b';' => {
                out.push(single(Tok::Semi));
                i += 1;
            }
            b'=' => {
                out.push(single(Tok::Eq));
                i += 1;
            }
            b'|' => {
                out.push(single(Tok::Pipe));
                i += 1;
            }
            b':' => {
                out.push(single(Tok::Colon));
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'>') => {
                out.push(Token { tok: Tok::Arrow, range: i..i + 2, exact: true });
                i += 2;
            }
            b'"' => {
                i += 1;
                let mut s = String::new();
                let mut exact = true;
                let mut closed = false;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        b'\n' => break,
                        b'\\' if i + 1 < bytes.len() => {
                            exact = false;
                            match bytes[i + 1] {
                                b'n' => s.push('\n'),
                                b't' => s.push('\t'),
                                b'"' => s.push('"'),
                                b'\\' => s.push('\\'),
                                _ => {
                                    // Unknown escapes are kept as written.
                                    s.push('\\');
                                    let ch_len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                                    s.push_str(&text[i + 1..i + 1 + ch_len]);
                                    i += 1 + ch_len;
                                    continue;
                                }
                            }
                            i += 2;
                        }
                        _ => {
                            let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
                            s.push_str(&text[i..i + ch_len]);
                            i += ch_len;
                        }
                    }
                }
                if !closed {
                    errors.push(SpecError::UnterminatedString { span: span(start..i) });
                }
                out.push(Token { tok: Tok::Str(s), range: start..i, exact });
            }
            _ if is_word_byte(c) && c != b':' => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'>') {
                        break;
                    }
                    if bytes[i] == b':' && !bytes.get(i + 1).is_some_and(|b| is_word_byte(*b) && *b != b':') {
                        break;
                    }
                    i += 1;
                }
                out.push(Token { tok: Tok::Word(text[start..i].to_string()), range: start..i, exact: true });
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                let len = ch.len_utf8();
                errors.push(SpecError::InvalidChar { ch, span: span(start..start + len) });
                out.push(Token { tok: Tok::Invalid, range: start..start + len, exact: true });
                i += len;
            }
        }
    }
    out.push(Token { tok: Tok::Eof, range: text.len()..text.len(), exact: true });
    out
}
