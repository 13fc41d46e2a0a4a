//! `--log-format json`: one flat JSON object per line, with the keys of
//! frr-k8s's (go-kit) logs first: `ts` (RFC 3339, UTC), `level`
//! (lowercase), `msg`, `caller` (`file.rs:line`); then the event's own
//! fields, numbers and booleans as JSON numbers and booleans, everything
//! else as the text the call site formats (`%` Display, `?` Debug).

use std::fmt::{self, Write as _};

use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The JSON event format.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut ts = String::new();
        SystemTime.format_time(&mut Writer::new(&mut ts))?;
        writeln!(writer, "{}", line(&ts, event))
    }
}

/// The line of `event` logged at `ts`, without its newline.
fn line(ts: &str, event: &Event<'_>) -> String {
    let mut fields = Fields::default();
    event.record(&mut fields);
    let meta = event.metadata();
    let file = meta.file().unwrap_or("?");
    let file = file.rsplit('/').next().unwrap_or(file);
    let caller = format!("{file}:{}", meta.line().unwrap_or(0));
    let mut out = String::from("{");
    let head = [
        ("ts", Value::from(ts)),
        ("level", Value::from(level(meta.level()))),
        ("msg", Value::from(fields.msg)),
        ("caller", Value::from(caller)),
    ];
    for (i, (key, value)) in head.into_iter().chain(fields.rest).enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(out, "{comma}{}:{value}", Value::from(key));
    }
    out.push('}');
    out
}

/// go-kit's level names.
fn level(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}

/// An event's message and other fields, in the order recorded.
#[derive(Default)]
struct Fields {
    msg: String,
    rest: Vec<(&'static str, Value)>,
}

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        match (field.name(), value) {
            ("message", Value::String(text)) => self.msg = text,
            (name, value) => self.rest.push((name, value)),
        }
    }
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, Value::from(value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, Value::from(format!("{value:?}")));
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// What the subscriber wrote.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The text a JSON subscriber writes for what `emit` logs.
    fn raw(emit: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_max_level(Level::DEBUG)
            .event_format(JsonLines)
            .finish();
        tracing::subscriber::with_default(subscriber, emit);
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    fn logged(emit: impl FnOnce()) -> Vec<serde_json::Map<String, Value>> {
        raw(emit)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    #[test]
    fn flat_lowercase_go_kit_keys() {
        let lines = logged(|| {
            tracing::warn!(id = %"a \"b\"", attempt = 2u32, ok = true, "not converged; will retry");
        });
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        let keys: Vec<&str> = l.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["attempt", "caller", "id", "level", "msg", "ok", "ts"]
        );
        assert_eq!(l["level"], "warn");
        assert_eq!(l["msg"], "not converged; will retry");
        assert_eq!(l["id"], "a \"b\"");
        assert_eq!(l["attempt"], 2);
        assert_eq!(l["ok"], true);
        assert!(
            l["caller"].as_str().unwrap().starts_with("logfmt.rs:"),
            "{l:?}"
        );
        let ts = l["ts"].as_str().unwrap();
        assert!(
            ts.len() >= 20 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
            "{ts}"
        );
    }

    #[test]
    fn keys_come_first_in_go_kit_order() {
        let line = raw(|| tracing::error!(n = 1, dir = "/x", "x"));
        assert!(line.starts_with("{\"ts\":\""), "{line}");
        let head = ",\"level\":\"error\",\"msg\":\"x\",\"caller\":\"logfmt.rs:";
        assert!(line.contains(head), "{line}");
        assert!(line.ends_with(",\"n\":1,\"dir\":\"/x\"}\n"), "{line}");
    }
}
