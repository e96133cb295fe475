// MailCore is the top layer: it ties the libraries together (the send service) and re-exports
// every one of them, so that `import MailCore` reaches the whole engine. Package.swift keeps the
// arrows between them one-way; README.md's "Architecture" lists them.
@_exported import MailSupport
@_exported import MailSettings
@_exported import MailChecks
@_exported import MailMessage
@_exported import MailClient
@_exported import MailOAuth
@_exported import MailDiagnosis
@_exported import MailAppData
