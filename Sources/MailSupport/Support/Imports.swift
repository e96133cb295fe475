// MailCore uses FoundationEssentials where it exists: full Foundation costs about 3 ms of start-up,
// which matters for a tool measured against curl's CLI.
#if canImport(FoundationEssentials)
@_exported import FoundationEssentials
#else
@_exported import Foundation
#endif
