// The libraries MailDiagnosis builds on, visible in all its files. Package.swift allows only these (lower
// layers), so the dependencies stay one-way.
@_exported import MailSupport
@_exported import MailSettings
@_exported import MailClient
@_exported import MailOAuth
