//! A closed set of names with a stable snake_case spelling (serde, `as_str`, `FromStr`,
//! `Display`) and zh-CN/en labels for pages: the status and kind enums of the wallet and orders.

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $s:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $s)] $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable snake_case name (API, database).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)* }
            }
            /// The name shown on pages.
            pub fn label(self, locale: crate::refusal::Locale) -> &'static str {
                match (self, locale) {
                    $(($name::$variant, crate::refusal::Locale::ZhCn) => $zh, ($name::$variant, crate::refusal::Locale::En) => $en,)*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)*
                    other => Err(format!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_enum;
