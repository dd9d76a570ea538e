"""Sync between installations: device keys, partner cards, the hybrid logical clock and the
signed, encrypted bundle file (see ``shared/design/bundle-format.md``).

The modules here are pure: bytes in, bytes or dataclasses out, no SQL and no Qt.

    identity   DeviceIdentity (private keys), PartnerCard (public card, fingerprint)
    hlc        HLC and Timestamp, the clock that orders transactions
    bundle     the file format: write_bundle, the header
    opening    BundleFile, read_bundle, inspect_bundle: opening a file read in chunks
    sections   the plaintext sections, decoded as they stream
    problems   BundleProblem and BundleRejected, why a bundle or card was refused
"""
