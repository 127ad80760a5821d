#!/usr/bin/python3
"""Reads a junit.xml with junitparser (a real JUnit consumer, Debian python3-junitparser)
and prints: cases failures declared_tests declared_failures."""
import sys

from junitparser import Failure, JUnitXml, TestSuite

xml = JUnitXml.fromfile(sys.argv[1])
suites = [xml] if isinstance(xml, TestSuite) else list(xml)
cases = [case for suite in suites for case in suite]
failures = sum(1 for case in cases if any(isinstance(r, Failure) for r in case.result))
print(len(cases), failures, xml.tests, xml.failures)
