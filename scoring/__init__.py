"""Pure functions of the certification rules (§5.1, §5.3, Appendices 1-3). No I/O."""
