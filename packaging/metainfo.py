"""AppStream metadata: what a software centre shows on Shopkeep's page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import project
from releases import Release


def metainfo(summary: str, releases: list[Release]) -> str:
    root = ET.Element("component", type="desktop-application")
    ET.SubElement(root, "id").text = project.APP_ID
    ET.SubElement(root, "metadata_license").text = "CC0-1.0"
    ET.SubElement(root, "project_license").text = project.LICENSE_ID
    ET.SubElement(root, "name").text = "Shopkeep"
    ET.SubElement(root, "summary").text = summary
    ET.SubElement(root, "developer_name").text = "Shopkeep maintainers"
    description = ET.SubElement(root, "description")
    for paragraph in project.DESCRIPTION:
        ET.SubElement(description, "p").text = paragraph
    features = ET.SubElement(description, "ul")
    for feature in project.FEATURES:
        ET.SubElement(features, "li").text = feature
    ET.SubElement(root, "launchable", type="desktop-id").text = f"{project.APP_ID}.desktop"
    ET.SubElement(root, "url", type="homepage").text = project.HOMEPAGE
    screenshots = ET.SubElement(root, "screenshots")
    for index, (path, caption) in enumerate(project.SCREENSHOTS):
        shot = ET.SubElement(screenshots, "screenshot")
        if index == 0:
            shot.set("type", "default")
        ET.SubElement(shot, "caption").text = caption
        ET.SubElement(shot, "image").text = project.HOMEPAGE + path
    # Shopkeep posts the owner's replies in public on Mastodon and Bluesky, unmoderated.
    rating = ET.SubElement(root, "content_rating", type="oars-1.1")
    ET.SubElement(rating, "content_attribute", id="social-chat").text = "intense"
    provides = ET.SubElement(root, "provides")
    ET.SubElement(provides, "binary").text = project.PROGRAM
    history = ET.SubElement(root, "releases")
    for release in releases:
        entry = ET.SubElement(history, "release", version=release.version,
                              date=release.date.isoformat())
        if release.notes:
            notes = ET.SubElement(ET.SubElement(entry, "description"), "ul")
            for note in release.notes:
                ET.SubElement(notes, "li").text = note
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
