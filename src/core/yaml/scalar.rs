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
        b'.' => text
            .parse::<f64>()
            .ok()
            .filter(|_| is_yaml_float(text))
            .map_or(ScalarValue::String, ScalarValue::Float),
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
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return ScalarValue::Float(f);
    }
    ScalarValue::String
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
