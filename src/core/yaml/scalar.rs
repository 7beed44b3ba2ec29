//! Plain scalar resolution as `kubectl` does it.
//!
//! `kubectl` reads YAML with go-yaml v2 (through `sigs.k8s.io/yaml`), which follows YAML 1.1:
//! `yes`/`on`/`y` are booleans, `0644` is octal and `1_000` is a thousand. A YAML 1.2 reading
//! would disagree with the cluster about the type of such values, so this module mirrors
//! go-yaml v2's `resolve.go` rather than the YAML 1.2 core schema.

use super::node::ScalarValue;

/// Resolves the text of a plain (unquoted) scalar.
#[must_use]
pub fn resolve_plain(text: &str) -> ScalarValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return ScalarValue::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return ScalarValue::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return ScalarValue::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return ScalarValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return ScalarValue::Float(f64::NAN),
        _ => {}
    }
    match text.as_bytes()[0] {
        b'.' => go_parse_float(text).map_or(ScalarValue::String, ScalarValue::Float),
        b'0'..=b'9' | b'+' | b'-' => resolve_number(text),
        _ => ScalarValue::String,
    }
}

fn resolve_number(text: &str) -> ScalarValue {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(n) = parse_go_int(&plain) {
        return match i64::try_from(n) {
            Ok(n) => ScalarValue::Int(n),
            #[allow(clippy::cast_precision_loss)]
            Err(_) => ScalarValue::Float(n as f64),
        };
    }
    go_parse_float(&plain).map_or(ScalarValue::String, ScalarValue::Float)
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms go-yaml lets reach it: a number that
/// overflows is an error there (`1e999` stays a string), one that underflows is 0.
fn go_parse_float(s: &str) -> Option<f64> {
    if !is_yaml_float(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|it| it.is_finite())
}

/// Go's `strconv.ParseInt(s, 0, 64)` (or `ParseUint`): an optional sign, then `0x`, `0o`, `0b`
/// or a leading `0` for octal, else decimal.
fn parse_go_int(s: &str) -> Option<i128> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    let value = i128::from(magnitude);
    if negative {
        let value = -value;
        (value >= i128::from(i64::MIN)).then_some(value)
    } else {
        Some(value)
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = if let Some(fraction) = mantissa.strip_prefix('.') {
        !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())
    } else {
        let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows written from go-yaml v2's `resolve.go` (`resolveMapList`, the `'D'`/`'S'`/`'.'`
    /// hints, `yamlStyleFloat`) and `decode.go` (timestamps stay strings when decoded into an
    /// `interface{}`, as sigs.k8s.io/yaml does), with Go's `strconv` rules for numbers.
    #[test]
    fn the_go_yaml_v2_resolution_table() {
        use ScalarValue::{Bool, Float, Int, Null, String};
        let table = [
            // resolveMapList: booleans, nulls, infinities and NaN; nothing else is in the map.
            ("y", Bool(true)),
            ("Y", Bool(true)),
            ("yes", Bool(true)),
            ("Yes", Bool(true)),
            ("YES", Bool(true)),
            ("true", Bool(true)),
            ("True", Bool(true)),
            ("TRUE", Bool(true)),
            ("on", Bool(true)),
            ("On", Bool(true)),
            ("ON", Bool(true)),
            ("n", Bool(false)),
            ("N", Bool(false)),
            ("no", Bool(false)),
            ("No", Bool(false)),
            ("NO", Bool(false)),
            ("false", Bool(false)),
            ("False", Bool(false)),
            ("FALSE", Bool(false)),
            ("off", Bool(false)),
            ("Off", Bool(false)),
            ("OFF", Bool(false)),
            ("", Null),
            ("~", Null),
            ("null", Null),
            ("Null", Null),
            ("NULL", Null),
            (".inf", Float(f64::INFINITY)),
            ("+.Inf", Float(f64::INFINITY)),
            ("-.INF", Float(f64::NEG_INFINITY)),
            ("nULL", String),
            ("tRUE", String),
            ("oN", String),
            (".Nan", String),
            ("inf", String),
            ("nan", String),
            // 'D' and 'S': strconv.ParseInt(s, 0, 64) after removing `_`.
            ("0", Int(0)),
            ("-0", Int(0)),
            ("+12", Int(12)),
            ("0644", Int(420)),
            ("0o644", Int(420)),
            ("0x1f", Int(31)),
            ("0X1F", Int(31)),
            ("-0x10", Int(-16)),
            ("0b1010", Int(10)),
            ("-0b11", Int(-3)),
            ("1_000_000", Int(1_000_000)),
            ("9223372036854775807", Int(i64::MAX)),
            ("-9223372036854775808", Int(i64::MIN)),
            // Beyond int64 ParseUint takes over up to 2^64-1 (kls keeps it as a float).
            ("18446744073709551615", Float(18_446_744_073_709_551_615.0)),
            // Not an integer: yamlStyleFloat, then strconv.ParseFloat.
            ("08", Float(8.0)),
            ("0.5", Float(0.5)),
            ("1.", Float(1.0)),
            ("1e23", Float(1e23)),
            ("1E3", Float(1000.0)),
            ("-1.5e-3", Float(-0.0015)),
            ("+.5", Float(0.5)),
            ("1_0.5", Float(10.5)),
            ("1e-400", Float(0.0)),
            // ParseFloat fails on overflow, so the text stays a string.
            ("1e999", String),
            ("-1e999", String),
            (".5e999", String),
            // '.' hint: ParseFloat of the whole text.
            (".5", Float(0.5)),
            (".5e1", Float(5.0)),
            (".", String),
            (".e1", String),
            // Neither: strings.
            ("0x", String),
            ("0b", String),
            ("0b102", String),
            ("0xg", String),
            ("1e", String),
            ("1.2.3", String),
            ("1:20", String),
            ("+", String),
            ("-", String),
            ("_1", String),
            ("1e2.5", String),
            ("0x1p3", String),
            ("500m", String),
            ("1Gi", String),
            ("2001-12-14", String),
            ("2001-12-14T21:59:43.10-05:00", String),
            ("nginx:1.25", String),
            ("~x", String),
            ("<<", String),
        ];
        for (text, expected) in table {
            assert_eq!(resolve_plain(text), expected, "`{text}`");
        }
    }

    #[test]
    fn yaml_1_1_scalars() {
        use ScalarValue::{Bool, Float, Int, Null, String};
        let cases = [
            ("yes", Bool(true)),
            ("Off", Bool(false)),
            ("y", Bool(true)),
            ("yEs", String),
            ("0644", Int(420)),
            ("0x1F", Int(31)),
            ("0o17", Int(15)),
            ("0b101", Int(5)),
            ("1_000", Int(1000)),
            ("-12", Int(-12)),
            ("+7", Int(7)),
            ("08", Float(8.0)),
            ("1.0", Float(1.0)),
            ("1e3", Float(1000.0)),
            (".5", Float(0.5)),
            ("~", Null),
            ("", Null),
            ("1.2.3", String),
            ("500m", String),
            ("2Gi", String),
            ("0x", String),
            ("-", String),
            ("nginx:1.25", String),
        ];
        for (text, expected) in cases {
            assert_eq!(resolve_plain(text), expected, "{text}");
        }
    }
}
