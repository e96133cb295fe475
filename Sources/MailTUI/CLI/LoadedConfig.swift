import MailCore

/// config.toml and profiles.toml as read once, when first needed: option resolution and the
/// history limit share it.
enum LoadedConfig {
    static let result: Result<MailtuiConfig, ConfigError> = Result { () throws(ConfigError) in try Configuration.load() }
}
