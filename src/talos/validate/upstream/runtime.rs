//! Runtime, security and SideroLink documents' upstream cases.

use super::{Case, case, run};

/// pkg/machinery/config/types/runtime/environment_test.go@v1.13.9 `TestEnvironmentValidate`
pub(super) const ENVIRONMENT: &[Case] = &[
    case("empty", "{}", ""),
    case(
        "valid",
        "{variables: {HTTP_PROXY: 'http://proxy.example.com:8080', HTTPS_PROXY: 'http://proxy.example.com:8080', NO_PROXY: localhost}}",
        "",
    ),
    case(
        "invalid - starts with invalid character",
        "{variables: {1INVALID: value}}",
        "invalid environment variable name: \"1INVALID\"",
    ),
    case(
        "invalid - contains invalid character",
        "{variables: {INVALID-CHAR: value}}",
        "invalid environment variable name: \"INVALID-CHAR\"",
    ),
    case(
        "invalid - empty",
        "{variables: {'': value}}",
        "invalid environment variable name: \"\"",
    ),
];

/// pkg/machinery/config/types/runtime/event_sink_test.go@v1.13.9 `TestEventSinkValidate`
pub(super) const EVENT_SINK: &[Case] = &[
    case(
        "empty",
        "{}",
        "event sink endpoint: missing port in address",
    ),
    case(
        "just IP",
        "{endpoint: 10.0.0.1}",
        "event sink endpoint: address 10.0.0.1: missing port in address",
    ),
    case("valid", "{endpoint: '[ff:80::01]:334'}", ""),
];

/// pkg/machinery/config/types/runtime/kmsg_log_test.go@v1.13.9 `TestKmsgLogValidate`
pub(super) const KMSG_LOG: &[Case] = &[
    case("empty", "{}", "name is required"),
    case("no URL", "{name: name1}", "url is required"),
    case(
        "wrong scheme",
        "{name: name2, url: 'https://some.destination/path'}",
        "url scheme must be tcp:// or udp://",
    ),
    case(
        "extra path",
        "{name: name5, url: 'tcp://some.destination:34/path'}",
        "url path must be empty",
    ),
    case(
        "no port",
        "{name: name6, url: 'tcp://some.destination/'}",
        "url port is required",
    ),
    case(
        "valid TCP",
        "{name: name3, url: 'tcp://10.2.3.4:5000/'}",
        "",
    ),
    case(
        "valid UDP",
        "{name: name4, url: 'udp://10.2.3.4:5000/'}",
        "",
    ),
];

/// pkg/machinery/config/types/runtime/oom_test.go@v1.13.9 `TestOOMValidate` (the "empty"
/// document of `NewOOMV1Alpha1` carries no expressions).
pub(super) const OOM: &[Case] = &[
    case("empty", "{}", ""),
    case(
        "invalid expression",
        "{sampleInterval: 100ms, cgroupRankingExpression: disk.transport}",
        "OOM cgroup scoring expression is invalid: ERROR: <input>:1:1: undeclared reference to 'disk' (in container '')\n | disk.transport\n | ^",
    ),
];

/// pkg/machinery/config/types/runtime/watchdog_timer_test.go@v1.13.9 `TestWatchdogTimerValidate`
pub(super) const WATCHDOG: &[Case] = &[
    case("empty", "{}", "watchdog device: empty value"),
    case(
        "negative timeout",
        "{device: /dev/watchdog1, timeout: -1m}",
        "watchdog timeout: minimum value is 10s",
    ),
    case(
        "small timeout",
        "{device: /dev/watchdog1, timeout: 1s}",
        "watchdog timeout: minimum value is 10s",
    ),
    case("valid", "{device: /dev/watchdog2}", ""),
];

/// pkg/machinery/config/types/security/image_verification_test.go@v1.13.9 `TestImageVerificationConfigValidate`
pub(super) const IMAGE_VERIFICATION: &[Case] = &[
    case(
        "valid config",
        "{rules: [{image: 'ghcr.io/*', keyless: {issuer: 'https://token.actions.githubusercontent.com', subjectRegex: 'https://github.com/myorg/.*'}}, {image: 'localhost:3000/*', deny: true}]}",
        "",
    ),
    case(
        "valid config with subject instead of subjectRegex",
        "{rules: [{image: 'docker.io/*', keyless: {issuer: 'https://accounts.google.com', subject: user@example.com}}]}",
        "",
    ),
    case(
        "valid config with skip and no verifier",
        "{rules: [{image: 'registry.internal.example.com/*', skip: true}]}",
        "",
    ),
    case(
        "valid config with deny and no verifier",
        "{rules: [{image: 'registry.internal.example.com/*', deny: true}]}",
        "",
    ),
    case(
        "rule missing imagePattern",
        "{rules: [{}]}",
        "rule 0: imagePattern must be specified\nrule 0: at least one verifier must be configured",
    ),
    case(
        "no verifier",
        "{rules: [{image: 'docker.io/*'}]}",
        "rule 0: at least one verifier must be configured",
    ),
    case(
        "verifier missing issuer",
        "{rules: [{image: 'docker.io/*', keyless: {subject: user@example.com}}]}",
        "rule 0: verifier OIDC issuer must be specified",
    ),
    case(
        "verifier missing subject and subjectRegex",
        "{rules: [{image: 'docker.io/*', keyless: {issuer: 'https://accounts.google.com'}}]}",
        "rule 0: verifier subject or subjectRegex must be specified",
    ),
    case(
        "verifiers with skip",
        "{rules: [{image: 'docker.io/*', skip: true, keyless: {issuer: 'https://accounts.google.com', subject: user@example.com}}]}",
        "rule 0: verifiers cannot be configured if skip or deny is true",
    ),
    case(
        "multiple errors",
        "{rules: [{skip: true}, {image: 'docker.io/*'}]}",
        "rule 0: imagePattern must be specified\nrule 1: at least one verifier must be configured",
    ),
    Case {
        name: "warnings for in imagePattern",
        doc: "{rules: [{image: 'localhost:3000/*/:latest', deny: true}, {image: 'docker.io/my-image@*', skip: true}, {image: nginx, skip: true}]}",
        errors: "",
        warnings: &[
            "rule 0: imagePattern contains ':' but matching only applies to the image registry and repository, not the tag or digest",
            "rule 1: imagePattern contains '@' but matching only applies to the image registry and repository, not the tag or digest",
            "rule 2: imagePattern does not contain a '/', image references like 'nginx' are matched as 'docker.io/nginx' (normalized)",
        ],
    },
];

/// pkg/machinery/config/types/siderolink/siderolink_test.go@v1.13.9 `TestConfigValidate`
pub(super) const SIDEROLINK: &[Case] = &[
    case("empty", "{}", "apiUrl is required"),
    case(
        "wrong scheme",
        "{apiUrl: 'http://siderolink.api/'}",
        "apiUrl scheme must be https:// or grpc://",
    ),
    case(
        "extra path",
        "{apiUrl: 'grpc://siderolink.api/path?jointoken=foo'}",
        "apiUrl path must be empty",
    ),
    case(
        "valid",
        "{apiUrl: 'https://siderolink.api:434/?jointoken=foo'}",
        "",
    ),
];

#[test]
fn runtime_documents() {
    run("EnvironmentConfig", ENVIRONMENT);
    run("EventSinkConfig", EVENT_SINK);
    run("KmsgLogConfig", KMSG_LOG);
    run("OOMConfig", OOM);
    run("WatchdogTimerConfig", WATCHDOG);
}

#[test]
fn security_and_siderolink_documents() {
    run("ImageVerificationConfig", IMAGE_VERIFICATION);
    run("SideroLinkConfig", SIDEROLINK);
}
