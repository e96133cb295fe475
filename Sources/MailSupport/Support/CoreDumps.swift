import CCurl

/// A process holding a password must not write it into a core file (a crash report, `gcore`).
public enum CoreDumps {
    /// Marks the process not dumpable; cheap, and harmless to repeat.
    public static func forbid() { _ = mt_forbid_core_dumps() }

    public static var allowed: Bool { mt_is_dumpable() == 1 }
}
