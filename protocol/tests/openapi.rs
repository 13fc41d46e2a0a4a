//! The OpenAPI document (`protocol/openapi.json`) matches the wire types:
//! the same paths, and for every schema the same field names (required
//! ones always present) and enum values as serde produces.

use std::collections::BTreeSet;

use protocol::*;
use serde_json::{json, Value};

fn document() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON")
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn command() -> Command {
    Command {
        context: vec!["router bgp 64512".into()],
        command: "no network 192.0.2.0/24".into(),
    }
}

fn delta() -> Delta {
    Delta {
        delete: vec![command()],
        add: vec![command()],
        script: "router bgp 64512\n".into(),
        stats: DeltaStats::default(),
    }
}

fn impact() -> Impact {
    Impact {
        peer: "192.0.2.2".into(),
        vrf: "default".into(),
        kind: SessionKind::Bgp,
        effect: Effect::Reset,
        because: vec!["neighbor 192.0.2.2 update-source lo".into()],
    }
}

/// An ApplyResult with every optional field set.
fn full_result() -> ApplyResult {
    let inner = ApplyResult {
        id: "b".into(),
        ..ApplyResult::default()
    };
    ApplyResult {
        id: "a".into(),
        conversion: Conversion {
            ok: false,
            errors: vec![LineError {
                line: 3,
                text: "bogus".into(),
                message: "unknown command".into(),
            }],
        },
        reload: ReloadSummary {
            errors: vec![CommandError {
                command: command(),
                message: "% error".into(),
            }],
            ..ReloadSummary::default()
        },
        delta: delta(),
        residue: vec![command()],
        impact: vec![impact()],
        superseded_by: Some(Supersession {
            id: "b".into(),
            sha256: "00".into(),
            result: Box::new(inner.clone()),
        }),
        rollback: Some(Box::new(inner)),
        ..ApplyResult::default()
    }
}

/// Samples of every object schema, as serde prints them with all optional
/// fields set.
fn samples() -> Vec<(&'static str, Value)> {
    let result = full_result();
    let status = NodeStatus {
        last_result: Some(result.clone()),
        ..NodeStatus::default()
    };
    vec![
        (
            "ConfigRequest",
            serde_json::to_value(ConfigRequest {
                config: "x".into(),
                id: Some("i".into()),
            })
            .unwrap(),
        ),
        (
            "ErrorReply",
            serde_json::to_value(ErrorReply::default()).unwrap(),
        ),
        ("Command", serde_json::to_value(command()).unwrap()),
        (
            "DeltaStats",
            serde_json::to_value(DeltaStats::default()).unwrap(),
        ),
        ("Delta", serde_json::to_value(delta()).unwrap()),
        ("Impact", serde_json::to_value(impact()).unwrap()),
        (
            "DiffResult",
            serde_json::to_value(DiffResult {
                delta: delta(),
                impact: vec![impact()],
            })
            .unwrap(),
        ),
        (
            "LineError",
            serde_json::to_value(&result.conversion.errors[0]).unwrap(),
        ),
        (
            "Conversion",
            serde_json::to_value(&result.conversion).unwrap(),
        ),
        (
            "CommandError",
            serde_json::to_value(&result.reload.errors[0]).unwrap(),
        ),
        ("Timings", serde_json::to_value(Timings::default()).unwrap()),
        (
            "ReloadSummary",
            serde_json::to_value(&result.reload).unwrap(),
        ),
        (
            "Supersession",
            serde_json::to_value(result.superseded_by.as_ref().unwrap()).unwrap(),
        ),
        ("ApplyResult", serde_json::to_value(&result).unwrap()),
        ("NodeStatus", serde_json::to_value(&status).unwrap()),
    ]
}

#[test]
fn paths_match_the_api() {
    let doc = document();
    let documented = keys(&doc["paths"]);
    let served: BTreeSet<String> = paths::ALL.iter().map(|p| (*p).to_owned()).collect();
    assert_eq!(documented, served);
}

#[test]
fn schemas_match_the_wire_types() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let mut checked = BTreeSet::new();
    for (name, sample) in samples() {
        let schema = &schemas[name];
        assert!(schema.is_object(), "{name} is not documented");
        assert_eq!(
            keys(&schema["properties"]),
            keys(&sample),
            "{name}: documented fields differ from serde's"
        );
        let minimal_ok = schema["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no required list"))
            .iter()
            .all(|r| sample.get(r.as_str().unwrap()).is_some());
        assert!(minimal_ok, "{name}: a required field is not serialized");
        checked.insert(name.to_owned());
    }
    for (name, values) in [
        (
            "Outcome",
            [
                Outcome::Converged,
                Outcome::ConversionFailed,
                Outcome::NotConverged,
                Outcome::FrrUnreachable,
                Outcome::Superseded,
                Outcome::PartlyApplied,
                Outcome::ImpactRefused,
            ]
            .iter()
            .map(|o| serde_json::to_value(o).unwrap())
            .collect::<Vec<_>>(),
        ),
        (
            "Trigger",
            [
                Trigger::Api,
                Trigger::Compat,
                Trigger::Startup,
                Trigger::FrrRestart,
                Trigger::Resync,
                Trigger::Retry,
                Trigger::Rollback,
                Trigger::Cli,
            ]
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect(),
        ),
        (
            "SessionKind",
            [SessionKind::Bgp, SessionKind::Bfd]
                .iter()
                .map(|k| serde_json::to_value(k).unwrap())
                .collect(),
        ),
        (
            "Effect",
            [Effect::None, Effect::Soft, Effect::Reset]
                .iter()
                .map(|e| serde_json::to_value(e).unwrap())
                .collect(),
        ),
    ] {
        assert_eq!(schemas[name]["enum"], Value::Array(values), "{name}");
        checked.insert(name.to_owned());
    }
    assert_eq!(keys(schemas), checked, "schemas without a check");
}

#[test]
fn required_fields_are_always_serialized() {
    // Default values (empty options) still carry every required field.
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    for (name, value) in [
        (
            "ApplyResult",
            serde_json::to_value(ApplyResult::default()).unwrap(),
        ),
        (
            "NodeStatus",
            serde_json::to_value(NodeStatus::default()).unwrap(),
        ),
        (
            "LineError",
            serde_json::to_value(LineError {
                line: 0,
                text: String::new(),
                message: String::new(),
            })
            .unwrap(),
        ),
    ] {
        for required in schemas[name]["required"].as_array().unwrap() {
            let field = required.as_str().unwrap();
            assert!(
                value.get(field).is_some(),
                "{name}.{field} missing when empty"
            );
        }
    }
}

#[test]
fn wire_types_round_trip() {
    let result = full_result();
    let back: ApplyResult = serde_json::from_value(serde_json::to_value(&result).unwrap()).unwrap();
    assert_eq!(back, result);
    let request: ConfigRequest =
        serde_json::from_value(json!({"config": "router bgp 1\n", "id": "x"})).unwrap();
    assert_eq!(request.id.as_deref(), Some("x"));
    let unknown = serde_json::from_value::<ConfigRequest>(json!({"config": "", "bogus": 1}));
    assert!(unknown.is_err(), "unknown fields are refused");
}

/// Every operation of the document: path, method and the operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            all.push((path.clone(), method.clone(), operation.clone()));
        }
    }
    all
}

#[test]
fn operation_ids_exist_and_are_unique() {
    let doc = document();
    let mut seen = BTreeSet::new();
    for (path, method, operation) in operations(&doc) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        let well_formed = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        assert!(
            well_formed,
            "{method} {path}: operationId {id:?} is not camelCase"
        );
        assert!(seen.insert(id.to_owned()), "operationId {id} is used twice");
    }
    assert_eq!(seen.len(), paths::ALL.len(), "{seen:?}");
}

#[test]
fn every_operation_documents_what_any_request_can_get() {
    // 403 (--allow-uid), 405 (another method), 431 (head too large) and
    // 400 (malformed request) can answer any request; bodies add 408, 413
    // and 415.
    let doc = document();
    let refs = &doc["components"]["responses"];
    for (path, method, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().expect("responses");
        let mut wanted = vec!["200", "400", "403", "405", "431"];
        if operation.get("requestBody").is_some() {
            wanted.extend(["408", "413", "415", "422", "500", "503"]);
        }
        for status in wanted {
            assert!(
                responses.contains_key(status),
                "{method} {path} does not document {status}"
            );
        }
        for (status, response) in responses {
            let target = match response["$ref"].as_str() {
                Some(r) => &refs[r.trim_start_matches("#/components/responses/")],
                None => response,
            };
            assert!(
                target["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path} {status}: no description (or a dangling $ref)"
            );
        }
    }
}
