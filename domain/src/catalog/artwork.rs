//! Product pictures for generated catalogs: a drone drawn as SVG from its shape, a
//! hue and a view number, so a demo shop has images without shipping any.

use std::fmt::Write;
use types::TextEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Shape {
    Quad,
    Hexa,
    Octo,
    Racer,
    Whoop,
    Wing,
    Vtol,
    Frame,
    Board,
    Camera,
}

/// The URL a generated picture is served at.
pub fn url(shape: Shape, hue: u16, view: u8) -> String {
    format!("/media/art/{}/{}/{}.svg", shape.as_str(), hue % 360, view % 4)
}

/// Parses the path after `/media/art/`: `{shape}/{hue}/{view}.svg`.
pub fn parse_path(path: &str) -> Option<(Shape, u16, u8)> {
    let mut parts = path.split('/');
    let shape = Shape::parse(parts.next()?)?;
    let hue: u16 = parts.next()?.parse().ok().filter(|h| *h < 360)?;
    let view: u8 = parts.next()?.strip_suffix(".svg")?.parse().ok().filter(|v| *v < 4)?;
    parts.next().is_none().then_some((shape, hue, view))
}

/// An 800×600 picture: a soft backdrop in the product's hue and the airframe from one
/// of four views (top, three-quarter, low, detail).
pub fn render(shape: Shape, hue: u16, view: u8) -> String {
    let mut svg = String::with_capacity(4096);
    let bg_light = format!("hsl({hue} 45% 94%)");
    let bg_dark = format!("hsl({} 40% 82%)", (hue + 30) % 360);
    let body = format!("hsl({hue} 55% 38%)");
    let accent = format!("hsl({} 70% 55%)", (hue + 180) % 360);
    let (rotate, scale) = match view {
        0 => (0, 1.0),
        1 => (-18, 0.9),
        2 => (12, 0.8),
        _ => (35, 1.25),
    };
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" role="img"><defs><radialGradient id="g" cx="50%" cy="45%" r="75%"><stop offset="0" stop-color="{bg_light}"/><stop offset="1" stop-color="{bg_dark}"/></radialGradient></defs><rect width="800" height="600" fill="url(#g)"/><ellipse cx="400" cy="520" rx="{}" ry="22" fill="#0b1f3a" opacity=".12"/><g transform="translate(400 300) rotate({rotate}) scale({scale})" stroke-linecap="round" stroke-linejoin="round">"##,
        (220.0 * scale) as i32
    );
    match shape {
        Shape::Quad | Shape::Hexa | Shape::Octo | Shape::Racer | Shape::Whoop | Shape::Frame => {
            let arms = match shape {
                Shape::Hexa => 6,
                Shape::Octo => 8,
                _ => 4,
            };
            let reach = if shape == Shape::Whoop { 120.0 } else { 175.0 };
            let rotor = match shape {
                Shape::Whoop => 70.0,
                Shape::Octo => 48.0,
                Shape::Hexa => 58.0,
                _ => 66.0,
            };
            for i in 0..arms {
                let angle = std::f64::consts::TAU * (i as f64 + 0.5) / arms as f64;
                let (x, y) = (reach * angle.cos(), reach * angle.sin());
                let _ = write!(
                    svg,
                    r##"<line x1="0" y1="0" x2="{x:.0}" y2="{y:.0}" stroke="{body}" stroke-width="22"/><circle cx="{x:.0}" cy="{y:.0}" r="{rotor}" fill="{bg_light}" fill-opacity=".55" stroke="{body}" stroke-width="{}"/><circle cx="{x:.0}" cy="{y:.0}" r="14" fill="{accent}"/>"##,
                    if shape == Shape::Whoop { 12 } else { 4 }
                );
            }
            if shape != Shape::Frame {
                let _ = write!(
                    svg,
                    r##"<rect x="-70" y="-55" width="140" height="110" rx="34" fill="{body}"/><rect x="-30" y="-80" width="60" height="34" rx="12" fill="#0b1f3a"/><circle cx="0" cy="-63" r="11" fill="{accent}"/>"##
                );
            } else {
                let _ = write!(
                    svg,
                    r##"<rect x="-60" y="-60" width="120" height="120" rx="16" fill="none" stroke="{body}" stroke-width="14"/>"##
                );
            }
        }
        Shape::Wing | Shape::Vtol => {
            let _ = write!(
                svg,
                r##"<path d="M-300 10 L-40 -35 L40 -35 L300 10 L300 30 L40 10 L-40 10 L-300 30Z" fill="{body}"/><rect x="-30" y="-120" width="60" height="260" rx="28" fill="{body}"/><path d="M-90 140 L90 140 L40 110 L-40 110Z" fill="{accent}"/><circle cx="0" cy="-90" r="14" fill="#0b1f3a"/>"##
            );
            if shape == Shape::Vtol {
                for x in [-170, 170] {
                    let _ = write!(
                        svg,
                        r##"<rect x="{}" y="-110" width="16" height="230" rx="8" fill="{body}"/><circle cx="{x}" cy="-110" r="52" fill="{bg_light}" fill-opacity=".55" stroke="{body}" stroke-width="4"/><circle cx="{x}" cy="120" r="52" fill="{bg_light}" fill-opacity=".55" stroke="{body}" stroke-width="4"/>"##,
                        x - 8
                    );
                }
            }
        }
        Shape::Board => {
            let _ = write!(
                svg,
                r##"<rect x="-150" y="-150" width="300" height="300" rx="26" fill="{body}"/><rect x="-55" y="-55" width="110" height="110" rx="8" fill="#0b1f3a"/><text x="0" y="8" text-anchor="middle" font-family="monospace" font-size="26" fill="{accent}">H7</text>"##
            );
            for i in 0..4 {
                let (x, y) = ([-120, 120, -120, 120][i], [-120, -120, 120, 120][i]);
                let _ = write!(svg, r##"<circle cx="{x}" cy="{y}" r="14" fill="{bg_light}"/>"##);
            }
        }
        Shape::Camera => {
            let _ = write!(
                svg,
                r##"<path d="M-40 -170 L40 -170 L40 -110 L-40 -110Z" fill="#0b1f3a"/><path d="M-120 -110 A120 120 0 0 0 120 -110" fill="none" stroke="{body}" stroke-width="22"/><rect x="-110" y="-60" width="220" height="170" rx="36" fill="{body}"/><circle cx="0" cy="25" r="62" fill="#0b1f3a"/><circle cx="0" cy="25" r="36" fill="{accent}"/><circle cx="-14" cy="10" r="10" fill="#fff" opacity=".7"/>"##
            );
        }
    }
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_back_and_tricks_are_refused() {
        let u = url(Shape::Vtol, 211, 2);
        assert_eq!(parse_path(u.trim_start_matches("/media/art/")), Some((Shape::Vtol, 211, 2)));
        for bad in ["vtol/400/1.svg", "ufo/10/1.svg", "quad/10/9.svg", "quad/10/1.svg/../x", "quad/10/1.png"] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_shape_draws_a_complete_svg() {
        for &shape in Shape::ALL {
            let svg = render(shape, 120, 1);
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
    }
}
