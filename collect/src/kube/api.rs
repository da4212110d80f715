//! A thin read-only client over kube's HTTP stack: `GET` a path, get JSON or
//! the API server's status, and list a resource page by page.
//!
//! Raw paths (not kube's typed `Api<K>`) keep every field of every object as
//! the server sent it, and let every error name the exact path requested.

use http::header::ACCEPT;
use serde_json::Value;

use super::KubeError;

/// Items per list page (kubectl's default chunk size).
pub const PAGE_SIZE: u32 = 500;

/// How many times a list is restarted from scratch when the API server says
/// its continue token has expired (410 Gone) in the middle of a listing.
const MAX_LIST_RESTARTS: usize = 3;

/// A non-2xx answer: the HTTP status and the API server's message.
#[derive(Debug, Clone)]
pub struct HttpStatus {
    /// The path and query requested.
    pub path: String,
    pub code: u16,
    /// `reason` of the `Status` body (`Forbidden`, `NotFound`, …), if any.
    pub reason: String,
    pub message: String,
}

impl HttpStatus {
    pub fn describe(&self) -> String {
        let reason = if self.reason.is_empty() {
            http::StatusCode::from_u16(self.code).ok().and_then(|c| c.canonical_reason()).unwrap_or("").to_string()
        } else {
            self.reason.clone()
        };
        match (reason.is_empty(), self.message.is_empty()) {
            (true, true) => format!("HTTP {}", self.code),
            (true, false) => format!("HTTP {}: {}", self.code, self.message),
            (false, true) => format!("HTTP {} {reason}", self.code),
            (false, false) => format!("HTTP {} {reason}: {}", self.code, self.message),
        }
    }
}

pub struct ApiClient {
    client: kube::Client,
}

impl ApiClient {
    pub fn new(client: kube::Client) -> Self {
        Self { client }
    }

    /// `GET path` (path and query, e.g. `/api/v1/pods?limit=500`). A
    /// transport failure or a body that is not JSON is an error; an HTTP
    /// error status is returned as `Err(HttpStatus)` for the caller to judge.
    pub async fn get(&self, what: &str, path: &str) -> Result<Result<Value, HttpStatus>, KubeError> {
        let request = http::Request::get(path)
            .header(ACCEPT, "application/json")
            .body(kube::client::Body::empty())
            .map_err(|e| KubeError::Transport { what: what.into(), path: path.into(), message: e.to_string() })?;
        let response = self.client.send(request).await.map_err(|e| KubeError::Transport {
            what: what.into(),
            path: path.into(),
            message: error_chain(&e),
        })?;
        let status = response.status();
        let body = response.into_body().collect_bytes().await.map_err(|e| KubeError::Transport {
            what: what.into(),
            path: path.into(),
            message: error_chain(&e),
        })?;
        if !status.is_success() {
            return Ok(Err(http_status(path, status.as_u16(), &body)));
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => Ok(Ok(v)),
            Err(e) => Err(KubeError::Decode {
                what: what.into(),
                path: path.into(),
                message: format!("the response is not JSON: {e}"),
            }),
        }
    }

    /// Lists every object at `base` (a collection path such as
    /// `/api/v1/pods`), following `metadata.continue` tokens. Items come back
    /// as the server sent them (without `apiVersion`/`kind`).
    pub async fn list(&self, what: &str, base: &str) -> Result<Result<Vec<Value>, HttpStatus>, KubeError> {
        let mut restarts = 0;
        'restart: loop {
            let mut items = Vec::new();
            let mut token: Option<String> = None;
            let mut seen_tokens = std::collections::BTreeSet::new();
            loop {
                let path = match &token {
                    None => format!("{base}?limit={PAGE_SIZE}"),
                    Some(t) => format!("{base}?limit={PAGE_SIZE}&continue={}", percent_encode(t)),
                };
                let page = match self.get(what, &path).await? {
                    Ok(page) => page,
                    // An expired continue token: the list has to start over
                    // to stay a consistent snapshot.
                    Err(s) if s.code == 410 && token.is_some() && restarts < MAX_LIST_RESTARTS => {
                        restarts += 1;
                        continue 'restart;
                    }
                    Err(s) => return Ok(Err(s)),
                };
                match page.get("items") {
                    Some(Value::Array(page_items)) => items.extend(page_items.iter().cloned()),
                    None | Some(Value::Null) => {}
                    Some(_) => {
                        return Err(KubeError::Decode {
                            what: what.into(),
                            path,
                            message: "`items` is not a list (is this a list response?)".into(),
                        })
                    }
                }
                let next = page
                    .get("metadata")
                    .and_then(|m| m.get("continue"))
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                match next {
                    None => return Ok(Ok(items)),
                    Some(t) => {
                        if !seen_tokens.insert(t.clone()) {
                            return Err(KubeError::Decode {
                                what: what.into(),
                                path,
                                message: format!(
                                    "the server returned continue token `{t}` twice; pagination would loop"
                                ),
                            });
                        }
                        token = Some(t);
                    }
                }
            }
        }
    }
}

fn http_status(path: &str, code: u16, body: &[u8]) -> HttpStatus {
    let path = path.to_string();
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        if v.get("kind").and_then(Value::as_str) == Some("Status") {
            let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            return HttpStatus { path, code, reason: s("reason"), message: s("message") };
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let message: String = text.chars().take(300).collect();
    HttpStatus { path, code, reason: String::new(), message }
}

/// An error and its sources, `: `-separated (kube's errors wrap hyper's).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// Percent-encodes a query value (continue tokens are base64: `+`, `/`, `=`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_are_percent_encoded() {
        assert_eq!(percent_encode("eyJ2Ijoi+/=x"), "eyJ2Ijoi%2B%2F%3Dx");
    }

    #[test]
    fn status_bodies_and_plain_bodies() {
        let s = http_status(
            "/api/v1/pods",
            403,
            br#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden","reason":"Forbidden","code":403}"#,
        );
        assert_eq!(s.describe(), "HTTP 403 Forbidden: pods is forbidden");
        let s = http_status("/api", 502, b"  bad gateway \n");
        assert_eq!(s.describe(), "HTTP 502 Bad Gateway: bad gateway");
    }
}
