//! Values from schemas, as proptest strategies: `valid` ones the schema accepts, `invalid` ones
//! it refuses in one place (a wrong type, a bound crossed, a pattern or enum missed, a required
//! property left out). Both are checked against the validator before use, so a generator slip
//! can never pass a valid value off as invalid or the other way round. Names help reach real
//! data: a property or parameter called `city` draws from the cities the fixture made, an
//! integer from the ids it knows, besides whatever the schema's bounds allow.

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use proptest::string::string_regex;
use serde_json::{Value, json};

use super::schema::{errors, resolve, types};

/// What the fixture knows exists, by the name of the field or parameter that takes it (a path
/// parameter `id` goes by the collection before it: `orders`, `tickets`, …); integers under
/// `""` are for any other integer.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub ints: BTreeMap<&'static str, Vec<i64>>,
    pub strings: BTreeMap<&'static str, Vec<String>>,
}

/// The generator over one document.
#[derive(Debug, Clone)]
pub struct Gen {
    pub doc: Arc<Value>,
    pub hints: Arc<Hints>,
}

fn one_of(options: Vec<(u32, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    assert!(!options.is_empty(), "no strategy to choose from");
    Union::new_weighted(options).boxed()
}

/// `2027-04-10T12:00:00+08:00`-style instants within about a year of the tests' dates.
fn date_time() -> BoxedStrategy<Value> {
    (1_796_000_000i64..1_830_000_000)
        .prop_map(|secs| {
            let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
            let at = jiff::Timestamp::from_second(secs).expect("in range");
            Value::from(
                at.to_zoned(zone)
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
            )
        })
        .boxed()
}

impl Gen {
    /// Keeps only values for which `schema` says `ok` (valid when true).
    fn checked(
        &self,
        schema: &Value,
        strategy: BoxedStrategy<Value>,
        ok: bool,
    ) -> BoxedStrategy<Value> {
        let (doc, schema) = (self.doc.clone(), schema.clone());
        strategy
            .prop_filter("checked against the schema", move |v| {
                errors(&doc, &schema, v).is_empty() == ok
            })
            .boxed()
    }

    /// Values `schema` accepts; `name` is the property or parameter they go in.
    pub fn valid(&self, schema: &Value, name: Option<&str>) -> BoxedStrategy<Value> {
        let s = resolve(&self.doc, schema).clone();
        if let Some(alts) = s.get("oneOf").or(s.get("anyOf")).and_then(Value::as_array) {
            let options = alts.iter().map(|a| (1, self.valid(a, name))).collect();
            return self.checked(&s, one_of(options), true);
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            return proptest::sample::select(options.clone()).boxed();
        }
        let ts = types(&s);
        if ts.is_empty() {
            // Any value at all (a free-form field).
            return one_of(vec![
                (1, Just(json!({"k": 1})).boxed()),
                (1, Just(json!("x")).boxed()),
            ]);
        }
        let options = ts
            .iter()
            .map(|t| {
                let weight = if *t == "null" { 1 } else { 4 };
                (weight, self.of_type(&s, t, name))
            })
            .collect();
        self.checked(&s, one_of(options), true)
    }

    fn of_type(&self, s: &Value, t: &str, name: Option<&str>) -> BoxedStrategy<Value> {
        match t {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::from).boxed(),
            "integer" | "number" => self.integer(s, name),
            "string" => self.string(s, name),
            "array" => {
                let item = s
                    .get("items")
                    .map_or_else(|| Just(json!("x")).boxed(), |i| self.valid(i, name));
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = s
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(min + 3, |m| m as usize);
                proptest::collection::vec(item, min..=max.min(min + 3))
                    .prop_map(Value::from)
                    .boxed()
            }
            "object" => self.object(s),
            other => panic!("unknown type {other}"),
        }
    }

    fn bounds(s: &Value) -> (i64, i64) {
        let (mut lo, mut hi) = match s.get("format").and_then(Value::as_str) {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            Some("uint32") => (0, i64::from(u32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        if let Some(m) = s.get("minimum").and_then(Value::as_f64) {
            lo = lo.max(m.ceil() as i64);
        }
        if let Some(m) = s.get("maximum").and_then(Value::as_f64) {
            hi = hi.min(m.floor() as i64);
        }
        (lo, hi)
    }

    fn integer(&self, s: &Value, name: Option<&str>) -> BoxedStrategy<Value> {
        let (lo, hi) = Gen::bounds(s);
        // Ids the fixture knows for `*_id` fields; any other number (an amount, a count) is
        // drawn from its bounds alone.
        let ints = &self.hints.ints;
        let generic = name
            .filter(|n| n.ends_with("id"))
            .and_then(|_| ints.get(""));
        let pool = name
            .and_then(|n| ints.get(n))
            .or(generic)
            .cloned()
            .unwrap_or_default();
        let known: Vec<i64> = pool.into_iter().filter(|i| (lo..=hi).contains(i)).collect();
        let mut options = vec![
            (2, (lo..=hi).prop_map(Value::from).boxed()),
            (
                2,
                proptest::sample::select(vec![lo, hi])
                    .prop_map(Value::from)
                    .boxed(),
            ),
        ];
        let (small_lo, small_hi) = (lo.max(-3), hi.min(30_000));
        if small_lo <= small_hi {
            options.push((3, (small_lo..=small_hi).prop_map(Value::from).boxed()));
        }
        if !known.is_empty() {
            options.push((
                9,
                proptest::sample::select(known)
                    .prop_map(Value::from)
                    .boxed(),
            ));
        }
        one_of(options)
    }

    fn string(&self, s: &Value, name: Option<&str>) -> BoxedStrategy<Value> {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .unwrap_or(min + 24)
            .min(min + 24);
        let mut options: Vec<(u32, BoxedStrategy<Value>)> = Vec::new();
        match s.get("format").and_then(Value::as_str) {
            Some("date-time") => options.push((6, date_time())),
            Some("date") => options.push((
                6,
                date_time()
                    .prop_map(|v| Value::from(&v.as_str().unwrap_or("")[..10]))
                    .boxed(),
            )),
            Some("email") => options.push((
                6,
                string_regex("[a-z]{1,10}@example\\.com")
                    .expect("regex")
                    .prop_map(Value::from)
                    .boxed(),
            )),
            _ => {}
        }
        if let Some(p) = s.get("pattern").and_then(Value::as_str)
            && let Ok(re) = string_regex(p)
        {
            options.push((4, re.prop_map(Value::from).boxed()));
        }
        let mut known: Vec<Value> = s.get("example").into_iter().cloned().collect();
        known.extend(
            name.and_then(|n| self.hints.strings.get(n))
                .into_iter()
                .flatten()
                .map(|v| Value::from(v.as_str())),
        );
        if !known.is_empty() {
            options.push((4, proptest::sample::select(known).boxed()));
        }
        let printable = format!("\\PC{{{min},{max}}}");
        let ascii = format!("[a-zA-Z0-9_-]{{{min},{max}}}");
        for re in [printable, ascii] {
            options.push((
                1,
                string_regex(&re)
                    .expect("regex")
                    .prop_map(Value::from)
                    .boxed(),
            ));
        }
        one_of(options)
    }

    fn object(&self, s: &Value) -> BoxedStrategy<Value> {
        let required: Vec<String> = s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let props: Vec<(String, BoxedStrategy<Option<Value>>)> = s
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, sub)| {
                let value = self.valid(sub, Some(k));
                let value = if required.contains(k) {
                    value.prop_map(Some).boxed()
                } else {
                    proptest::option::weighted(0.7, value).boxed()
                };
                (k.clone(), value)
            })
            .collect();
        let (names, values): (Vec<String>, Vec<_>) = props.into_iter().unzip();
        values
            .prop_map(move |vs| {
                let map = names
                    .iter()
                    .zip(vs)
                    .filter_map(|(k, v)| v.map(|v| (k.clone(), v)))
                    .collect();
                Value::Object(map)
            })
            .boxed()
    }

    /// Values `schema` refuses, or `None` when it takes anything.
    pub fn invalid(&self, schema: &Value) -> Option<BoxedStrategy<Value>> {
        let s = resolve(&self.doc, schema).clone();
        let mut options: Vec<(u32, BoxedStrategy<Value>)> = Vec::new();
        let wrong = [
            json!(true),
            json!(7),
            json!("x"),
            json!([]),
            json!({}),
            json!(1.5),
        ];
        let wrong: Vec<Value> = wrong
            .into_iter()
            .filter(|v| !errors(&self.doc, &s, v).is_empty())
            .collect();
        if !wrong.is_empty() {
            options.push((1, proptest::sample::select(wrong).boxed()));
        }
        for alt in s
            .get("oneOf")
            .or(s.get("anyOf"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            options.extend(self.invalid(alt).map(|i| (2, i)));
        }
        if s.get("enum").is_some() {
            options.push((2, Just(json!("no_such_option")).boxed()));
        }
        let ts = types(&s);
        if ts.contains(&"integer") || ts.contains(&"number") {
            let (lo, hi) = Gen::bounds(&s);
            let mut edges = Vec::new();
            if lo > i64::MIN {
                edges.push(Value::from(lo - 1));
            }
            if hi < i64::MAX {
                edges.push(Value::from(hi + 1));
            }
            if !edges.is_empty() {
                options.push((4, proptest::sample::select(edges).boxed()));
            }
        }
        if ts.contains(&"string") {
            options.push((3, self.bad_string(&s)));
        }
        if ts.contains(&"object") {
            options.extend(self.bad_object(&s));
        }
        if ts.contains(&"array")
            && let Some(bad) = s.get("items").and_then(|item| self.invalid(item))
        {
            options.push((3, bad.prop_map(|v| json!([v])).boxed()));
        }
        (!options.is_empty()).then(|| self.checked(&s, one_of(options), false))
    }

    fn bad_string(&self, s: &Value) -> BoxedStrategy<Value> {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let mut options: Vec<(u32, BoxedStrategy<Value>)> = vec![
            (1, Just(json!("")).boxed()),
            (1, Just(json!("  ")).boxed()),
            (1, Just(json!("tomorrow")).boxed()),
            (
                1,
                string_regex("\\PC{1,12}")
                    .expect("regex")
                    .prop_map(Value::from)
                    .boxed(),
            ),
        ];
        // Just past a bound is where a drifted bound shows.
        if min > 1 {
            let shorter = format!("[a-zA-Z0-9]{{{}}}", min - 1);
            options.push((
                4,
                string_regex(&shorter)
                    .expect("regex")
                    .prop_map(Value::from)
                    .boxed(),
            ));
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            let longer = format!("[a-zA-Z0-9]{{{}}}", max + 1);
            options.push((
                4,
                string_regex(&longer)
                    .expect("regex")
                    .prop_map(Value::from)
                    .boxed(),
            ));
        }
        one_of(options)
    }

    fn bad_object(&self, s: &Value) -> Vec<(u32, BoxedStrategy<Value>)> {
        let mut options = Vec::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for name in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name
                .as_str()
                .expect("required names are strings")
                .to_owned();
            let without = self.object(s).prop_map(move |mut v| {
                v.as_object_mut().expect("an object").remove(&name);
                v
            });
            options.push((2, without.boxed()));
        }
        for (name, sub) in props {
            let Some(bad) = self.invalid(&sub) else {
                continue;
            };
            let with = (self.object(s), bad).prop_map(move |(mut v, bad)| {
                v.as_object_mut()
                    .expect("an object")
                    .insert(name.clone(), bad);
                v
            });
            options.push((4, with.boxed()));
        }
        options
    }
}
