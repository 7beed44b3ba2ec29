//! The string formats and limits the API server enforces (names, labels, ports, quantities).
//!
//! Source: `k8s.io/apimachinery/pkg/util/validation/validation.go` and
//! `pkg/api/resource/quantity.go`, as summarised in the project's validation rules. Each check
//! returns `Err` with the reason in words, ready to follow "is not valid: ".
//!
//! A value that fails a check because it is an unexpanded template variable (`${VAR}`,
//! `$(VAR)`, `{{ .Values.x }}`, `<node-hostname>`) gets a reason that says so and how to render
//! it, instead of the format's rules: every check passes its reason through [`explain`].

use std::cmp::Ordering;

/// A DNS-1123 label: at most 63 characters of `[a-z0-9-]`, starting and ending alphanumeric.
///
/// # Errors
/// The reason the value is not one.
pub fn dns1123_label(value: &str) -> Result<(), String> {
    explain(value, dns1123_label_shape(value))
}

fn dns1123_label_shape(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if value.len() > 63 {
        return Err(format!(
            "must be no more than 63 characters (it has {})",
            value.len()
        ));
    }
    if is_label_chars(value) {
        return Ok(());
    }
    if dns1123_subdomain_shape(value).is_ok() {
        return Err("must not contain dots".to_owned());
    }
    Err(label_shape_reason(value))
}

/// A DNS-1123 subdomain: at most 253 characters, dot-separated DNS labels (parts unlimited in
/// length).
///
/// # Errors
/// The reason the value is not one.
pub fn dns1123_subdomain(value: &str) -> Result<(), String> {
    explain(value, dns1123_subdomain_shape(value))
}

fn dns1123_subdomain_shape(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if value.len() > 253 {
        return Err(format!(
            "must be no more than 253 characters (it has {})",
            value.len()
        ));
    }
    if value
        .split('.')
        .all(|part| !part.is_empty() && is_label_chars(part))
    {
        Ok(())
    } else {
        Err("must consist of lower case letters, digits, '-' and '.', and start and end with a letter or digit".to_owned())
    }
}

fn is_label_chars(value: &str) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

fn label_shape_reason(value: &str) -> String {
    if value.bytes().any(|b| b.is_ascii_uppercase()) {
        "must be lower case".to_owned()
    } else {
        "must consist of lower case letters, digits and '-', and start and end with a letter or digit".to_owned()
    }
}

/// A DNS-1035 label: a DNS-1123 label that starts with a letter (`IsDNS1035Label`).
///
/// # Errors
/// The reason the value is not one.
pub fn dns1035_label(value: &str) -> Result<(), String> {
    explain(value, dns1035_label_shape(value))
}

fn dns1035_label_shape(value: &str) -> Result<(), String> {
    dns1123_label_shape(value)?;
    if value.as_bytes()[0].is_ascii_lowercase() {
        Ok(())
    } else {
        Err("must start with a letter".to_owned())
    }
}

/// A path segment name, the only rule the API server applies to every object name
/// (`IsValidPathSegmentName`, `k8s.io/apimachinery/pkg/api/validation/path`): not `.` or `..`,
/// and no `/` or `%`. For a `generateName` prefix only the `/` and `%` rule applies.
///
/// # Errors
/// The reason the value is not one.
pub fn path_segment_name(value: &str) -> Result<(), String> {
    explain(value, path_segment_name_shape(value))
}

fn path_segment_name_shape(value: &str) -> Result<(), String> {
    if value == "." || value == ".." {
        return Err(format!("must not be '{value}'"));
    }
    path_segment_prefix_shape(value)
}

/// The part of [`path_segment_name`] that applies to a `generateName` prefix.
///
/// # Errors
/// The reason the value is not one.
pub fn path_segment_prefix(value: &str) -> Result<(), String> {
    explain(value, path_segment_prefix_shape(value))
}

fn path_segment_prefix_shape(value: &str) -> Result<(), String> {
    for banned in ['/', '%'] {
        if value.contains(banned) {
            return Err(format!("must not contain '{banned}'"));
        }
    }
    Ok(())
}

/// A qualified name (label key, annotation key, selector key): an optional DNS subdomain prefix
/// and `/`, then 1 to 63 characters of `[A-Za-z0-9-_.]` starting and ending alphanumeric.
///
/// # Errors
/// The reason the value is not one.
pub fn qualified_name(value: &str) -> Result<(), String> {
    explain(value, qualified_name_shape(value))
}

fn qualified_name_shape(value: &str) -> Result<(), String> {
    let (prefix, name) = match value.split_once('/') {
        Some((prefix, name)) => {
            if name.contains('/') {
                return Err("must contain at most one '/'".to_owned());
            }
            if prefix.is_empty() {
                return Err("the prefix before '/' must not be empty".to_owned());
            }
            (Some(prefix), name)
        }
        None => (None, value),
    };
    if let Some(prefix) = prefix
        && let Err(reason) = dns1123_subdomain_shape(prefix)
    {
        return Err(format!("the prefix `{prefix}` {reason}"));
    }
    if name.is_empty() {
        return Err("the name part must not be empty".to_owned());
    }
    if name.len() > 63 {
        return Err(format!(
            "the name part must be no more than 63 characters (it has {})",
            name.len()
        ));
    }
    if is_qualified_chars(name) {
        Ok(())
    } else {
        Err("must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit".to_owned())
    }
}

fn is_qualified_chars(value: &str) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A label value: empty, or at most 63 characters of `[A-Za-z0-9-_.]` starting and ending
/// alphanumeric.
///
/// # Errors
/// The reason the value is not one.
pub fn label_value(value: &str) -> Result<(), String> {
    explain(value, label_value_shape(value))
}

fn label_value_shape(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > 63 {
        return Err(format!(
            "must be no more than 63 characters (it has {})",
            value.len()
        ));
    }
    if is_qualified_chars(value) {
        Ok(())
    } else {
        Err("must be empty or consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit".to_owned())
    }
}

/// A port name (IANA_SVC_NAME): at most 15 characters of `[a-z0-9-]`, at least one letter, no
/// `--`, not starting or ending with `-`.
///
/// # Errors
/// The reason the value is not one.
pub fn port_name(value: &str) -> Result<(), String> {
    explain(value, port_name_shape(value))
}

fn port_name_shape(value: &str) -> Result<(), String> {
    if value.len() > 15 {
        return Err(format!(
            "must be no more than 15 characters (it has {})",
            value.len()
        ));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("must contain only lower case letters, digits and '-'".to_owned());
    }
    if !value.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err("must contain at least one letter".to_owned());
    }
    if value.contains("--") {
        return Err("must not contain consecutive hyphens".to_owned());
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Err("must not begin or end with a hyphen".to_owned());
    }
    Ok(())
}

/// A port number: 1 to 65535.
///
/// # Errors
/// The reason the value is not one.
pub fn port_number(value: i64) -> Result<(), String> {
    if (1..=65535).contains(&value) {
        Ok(())
    } else {
        Err("must be between 1 and 65535, inclusive".to_owned())
    }
}

/// An environment variable name. From Kubernetes 1.32 any printable ASCII but `=`; before, a
/// C-identifier-like name (`[-._a-zA-Z][-._a-zA-Z0-9]*`, not `.`, `..` or starting with `..`).
///
/// # Errors
/// The reason the value is not one.
pub fn env_var_name(value: &str, relaxed: bool) -> Result<(), String> {
    explain(value, env_var_name_shape(value, relaxed))
}

fn env_var_name_shape(value: &str, relaxed: bool) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if relaxed {
        if value
            .bytes()
            .all(|b| (0x20..=0x7e).contains(&b) && b != b'=')
        {
            return Ok(());
        }
        return Err("must consist of printable ASCII characters other than '='".to_owned());
    }
    let bytes = value.as_bytes();
    let first_ok = bytes[0].is_ascii_alphabetic() || matches!(bytes[0], b'-' | b'.' | b'_');
    let rest_ok = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if !first_ok || !rest_ok {
        return Err(
            "must consist of letters, digits, '_', '-' or '.', and must not start with a digit"
                .to_owned(),
        );
    }
    dot_path_check(value)
}

/// A ConfigMap or Secret key: at most 253 characters of `[-._a-zA-Z0-9]`, not `.`, `..` or
/// starting with `..`.
///
/// # Errors
/// The reason the value is not one.
pub fn config_key(value: &str) -> Result<(), String> {
    explain(value, config_key_shape(value))
}

fn config_key_shape(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if value.len() > 253 {
        return Err(format!(
            "must be no more than 253 characters (it has {})",
            value.len()
        ));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err("must consist of letters, digits, '-', '_' or '.'".to_owned());
    }
    dot_path_check(value)
}

fn dot_path_check(value: &str) -> Result<(), String> {
    if value == "." || value == ".." {
        return Err(format!("must not be '{value}'"));
    }
    if value.starts_with("..") {
        return Err("must not start with '..'".to_owned());
    }
    Ok(())
}

/// A percentage written as a string: `^[0-9]+%$`. Returns the number.
#[must_use]
pub fn percent(value: &str) -> Option<u64> {
    let digits = value.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// An HTTP header name: `^[-A-Za-z0-9]+$`.
#[must_use]
pub fn is_http_header_name(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A resource quantity (`500m`, `1Gi`, `2`, `1e3`), exact enough to compare and to tell whole
/// numbers from fractions.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    /// The value is `mantissa × 10^scale`.
    mantissa: i128,
    scale: i32,
}

impl Quantity {
    /// Parses a quantity as the API server does (`resource.ParseQuantity`).
    ///
    /// # Errors
    /// The reason the text is not a quantity.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        Self::parse_shape(text).map_err(|reason| explained(text, reason))
    }

    fn parse_shape(text: &str) -> Result<Quantity, String> {
        const SYNTAX: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        let text = text.trim();
        if text.is_empty() {
            return Err(SYNTAX.to_owned());
        }
        let (negative, rest) = match text.as_bytes()[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, suffix) = rest.split_at(number_len);
        if number.is_empty() || number.matches('.').count() > 1 || number == "." {
            return Err(SYNTAX.to_owned());
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let digits: String = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        let digits = if digits.len() > 30 {
            &digits[..30]
        } else {
            digits
        };
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| SYNTAX.to_owned())?
        };
        let mut scale = -i32::try_from(frac_part.len()).unwrap_or(i32::MAX);
        let binary = |power: u32| -> Result<(i128, i32), String> { Ok((1i128 << (10 * power), 0)) };
        let (factor, extra_scale) = match suffix {
            "" => (1, 0),
            "Ki" => binary(1)?,
            "Mi" => binary(2)?,
            "Gi" => binary(3)?,
            "Ti" => binary(4)?,
            "Pi" => binary(5)?,
            "Ei" => binary(6)?,
            "n" => (1, -9),
            "u" => (1, -6),
            "m" => (1, -3),
            "k" => (1, 3),
            "M" => (1, 6),
            "G" => (1, 9),
            "T" => (1, 12),
            "P" => (1, 15),
            "E" => (1, 18),
            _ => {
                let exponent = suffix
                    .strip_prefix(['e', 'E'])
                    .filter(|it| {
                        let digits = it.strip_prefix(['+', '-']).unwrap_or(it);
                        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
                    })
                    .and_then(|it| it.parse::<i32>().ok());
                match exponent {
                    Some(exponent) => (1, exponent),
                    None if suffix
                        .bytes()
                        .all(|b| b"eEinumkKMGTP+-0123456789".contains(&b)) =>
                    {
                        return Err("unable to parse quantity's suffix".to_owned());
                    }
                    None => return Err(SYNTAX.to_owned()),
                }
            }
        };
        mantissa = mantissa
            .checked_mul(factor)
            .ok_or_else(|| "the quantity is too large".to_owned())?;
        scale = scale.saturating_add(extra_scale);
        if negative {
            mantissa = -mantissa;
        }
        Ok(Quantity { mantissa, scale })
    }

    /// Whether the value is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// Whether the value is a whole number.
    #[must_use]
    pub fn is_integer(&self) -> bool {
        if self.scale >= 0 || self.mantissa == 0 {
            return true;
        }
        let divisor = 10i128.checked_pow(self.scale.unsigned_abs());
        divisor.is_some_and(|d| self.mantissa % d == 0)
    }

    /// Whether the value is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// The value in units of `10^exponent`, rounded away from zero: `milli` is
    /// `rounded_away(-3)`, the API's `MilliValue()`; `rounded_away(0)` is `Value()`. `None` when
    /// it does not fit.
    #[must_use]
    pub fn rounded_away(&self, exponent: i32) -> Option<i128> {
        let shift = self.scale.checked_sub(exponent)?;
        if shift >= 0 {
            return self
                .mantissa
                .checked_mul(10i128.checked_pow(shift.unsigned_abs())?);
        }
        let divisor = 10i128.checked_pow(shift.unsigned_abs())?;
        let quotient = self.mantissa / divisor;
        Some(if self.mantissa % divisor == 0 {
            quotient
        } else {
            quotient + self.mantissa.signum()
        })
    }

    /// The quantity `units × 10^exponent`.
    #[must_use]
    pub fn from_units(units: i128, exponent: i32) -> Quantity {
        Quantity {
            mantissa: units,
            scale: exponent,
        }
    }

    /// An approximate value, for messages and ratios.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.scale)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        let common = self.scale.min(other.scale);
        let lift = |q: &Quantity| -> Option<i128> {
            let power = u32::try_from(q.scale - common).ok()?;
            q.mantissa.checked_mul(10i128.checked_pow(power)?)
        };
        match (lift(self), lift(other)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.as_f64().total_cmp(&other.as_f64()),
        }
    }
}

/// Replaces the reason a value fails a format with a plainer one when the value is an
/// unexpanded template variable: the format's rules say nothing useful about `${NAME}`.
fn explain(value: &str, result: Result<(), String>) -> Result<(), String> {
    result.map_err(|reason| explained(value, reason))
}

/// The reason `value` fails a format: `reason`, unless the value is a placeholder.
fn explained(value: &str, reason: String) -> String {
    placeholder(value).map_or(reason, |found| found.reason())
}

/// An unexpanded template variable found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// The variable as written, e.g. `${NAME}`.
    pub text: &'a str,
    /// Which template language writes variables this way.
    pub style: PlaceholderStyle,
}

/// The ways template tools write a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceholderStyle {
    /// `{{ .Values.x }}`: Helm and other Go templates.
    GoTemplate,
    /// `${VAR}`: shell, `envsubst`, Terraform, many CI systems.
    Shell,
    /// `$(VAR)`: Kubernetes' own syntax, expanded only in a container's `env` values,
    /// `command` and `args`.
    Kubernetes,
    /// `<node-hostname>`: a value to fill in by hand, as documentation writes it.
    AngleBrackets,
}

impl Placeholder<'_> {
    /// The reason to give instead of the format's rules.
    #[must_use]
    pub fn reason(&self) -> String {
        let text = self.text;
        let how = match self.style {
            PlaceholderStyle::GoTemplate => {
                "render the template first (`helm template … | kls lint -`)"
            }
            PlaceholderStyle::Shell => {
                "substitute the variables first (for example `envsubst < file.yaml | kls lint -`)"
            }
            PlaceholderStyle::Kubernetes => {
                "Kubernetes expands `$(VAR)` only in a container's `env` values, `command` and `args`, so here it stays as written"
            }
            PlaceholderStyle::AngleBrackets => "replace it with a real value",
        };
        format!("`{text}` looks like an unexpanded placeholder; {how}")
    }
}

/// The first unexpanded template variable in `value`, if it holds one.
#[must_use]
pub fn placeholder(value: &str) -> Option<Placeholder<'_>> {
    let patterns: [(&str, &str, PlaceholderStyle); 4] = [
        ("{{", "}}", PlaceholderStyle::GoTemplate),
        ("${", "}", PlaceholderStyle::Shell),
        ("$(", ")", PlaceholderStyle::Kubernetes),
        ("<", ">", PlaceholderStyle::AngleBrackets),
    ];
    patterns
        .into_iter()
        .filter_map(|(open, close, style)| {
            let start = value.find(open)?;
            let inner_start = start + open.len();
            let inner_len = value[inner_start..].find(close)?;
            let inner = value[inner_start..inner_start + inner_len].trim();
            let plausible = match style {
                // A variable name inside: `${NAME}`, `$(POD_NAME)`, `<node-hostname>`.
                PlaceholderStyle::Shell
                | PlaceholderStyle::Kubernetes
                | PlaceholderStyle::AngleBrackets => {
                    !inner.is_empty()
                        && inner.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ')
                        })
                }
                PlaceholderStyle::GoTemplate => !inner.is_empty(),
            };
            let end = inner_start + inner_len + close.len();
            plausible.then(|| {
                (
                    start,
                    Placeholder {
                        text: &value[start..end],
                        style,
                    },
                )
            })
        })
        .min_by_key(|(start, _)| *start)
        .map(|(_, found)| found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns1123_label("web-1").is_ok());
        assert_eq!(
            dns1123_label("web.app"),
            Err("must not contain dots".to_owned())
        );
        assert!(dns1123_label("Web").is_err());
        assert!(dns1123_subdomain("hello.kiamol.net").is_ok());
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("/name").is_err());
        assert!(qualified_name("a/b/c").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("1.0").is_ok());
        assert!(label_value("-x").is_err());
        assert!(port_name("http").is_ok());
        assert!(port_name("8080").is_err());
        assert!(port_name("n234567890123456").is_err());
        assert!(env_var_name("MY VAR", true).is_ok());
        assert!(env_var_name("MY VAR", false).is_err());
        assert!(env_var_name("A=B", true).is_err());
        assert_eq!(percent("25%"), Some(25));
        assert_eq!(percent("1"), None);
    }

    #[test]
    fn new_name_formats() {
        assert!(dns1035_label("web-1").is_ok());
        assert_eq!(
            dns1035_label("2048-game"),
            Err("must start with a letter".to_owned())
        );
        assert!(dns1035_label("web.app").is_err());
        assert!(path_segment_name("system:aggregate-to-edit").is_ok());
        assert!(path_segment_name("My_Role").is_ok());
        assert!(path_segment_name("..").is_err());
        assert!(path_segment_name("a/b").is_err());
        assert!(path_segment_name("100%").is_err());
        assert!(path_segment_prefix("..").is_ok());
        assert!(path_segment_prefix("a/").is_err());
    }

    #[test]
    fn placeholders() {
        fn style(value: &str) -> Option<(&str, PlaceholderStyle)> {
            placeholder(value).map(|it| (it.text, it.style))
        }
        assert_eq!(
            style("web-${ENV}"),
            Some(("${ENV}", PlaceholderStyle::Shell))
        );
        assert_eq!(
            style("$(POD_NAME).svc"),
            Some(("$(POD_NAME)", PlaceholderStyle::Kubernetes))
        );
        assert_eq!(
            style("{{ .Values.name }}-web"),
            Some(("{{ .Values.name }}", PlaceholderStyle::GoTemplate))
        );
        assert_eq!(
            style("<node-hostname>"),
            Some(("<node-hostname>", PlaceholderStyle::AngleBrackets))
        );
        // The earliest one wins.
        assert_eq!(style("<a>${B}").map(|it| it.0), Some("<a>"));
        for plain in ["web", "a<b", "${}", "$(a/b)", "{{}}", "50%", "x > y"] {
            assert_eq!(placeholder(plain), None, "{plain}");
        }
    }

    #[test]
    fn placeholder_reasons_replace_format_rules() {
        let reason = dns1123_subdomain("${APP_NAME}").unwrap_err();
        assert!(
            reason.contains("`${APP_NAME}` looks like an unexpanded placeholder"),
            "{reason}"
        );
        assert!(reason.contains("envsubst"), "{reason}");
        let reason = Quantity::parse("{{ .Values.memory }}").unwrap_err();
        assert!(!reason.contains("regular expression"), "{reason}");
        assert!(reason.contains("helm template"), "{reason}");
        let reason = label_value("<version>").unwrap_err();
        assert!(reason.contains("replace it with a real value"), "{reason}");
        let reason = qualified_name("$(PREFIX)/name").unwrap_err();
        assert!(
            reason.contains("only in a container's `env` values"),
            "{reason}"
        );
        // A placeholder that happens to be valid is no problem, and a plain bad value keeps its
        // own reason.
        assert!(label_value("ENV").is_ok());
        assert_eq!(
            dns1123_label("web.app"),
            Err("must not contain dots".to_owned())
        );
    }

    #[test]
    fn quantities() {
        let q = |s: &str| Quantity::parse(s).unwrap();
        assert!(q("500m") < q("1"));
        assert!(q("1Gi") > q("512Mi"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("1k"), q("1000"));
        assert_eq!(q("1e3"), q("1k"));
        assert!(!q("100m").is_integer());
        assert!(q("2").is_integer());
        assert!(q("-1").is_negative());
        assert!(Quantity::parse("1GB").is_err());
        assert!(Quantity::parse("512mi").is_err());
        assert!(Quantity::parse("").is_err());
        assert_eq!(q("1.0004").rounded_away(-3), Some(1001));
        assert_eq!(q("-0.0001").rounded_away(-3), Some(-1));
        assert_eq!(q("2Ki").rounded_away(0), Some(2048));
        assert_eq!(q("100m").rounded_away(0), Some(1));
    }
}
