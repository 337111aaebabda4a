//! Renders diagnostics as ariadne reports, short lines or JSON; the only ariadne user.
