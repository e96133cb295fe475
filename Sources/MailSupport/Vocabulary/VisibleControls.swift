extension String {
    /// The string with CR, LF, NUL and other controls shown as escapes, for error messages.
    package var visibleControls: String {
        TerminalSanitizer.sanitize(self, maxLength: 200)
    }
}
