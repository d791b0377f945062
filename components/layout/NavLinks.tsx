"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { hrefWithViewState } from "@/lib/urlState";

const SECTIONS = [
  { href: "/", label: "Overview" },
  { href: "/graph", label: "Graph" },
  { href: "/apps", label: "Applications" },
  { href: "/services", label: "Services" },
  { href: "/workloads", label: "Workloads" },
  { href: "/istio", label: "Istio Config" },
  { href: "/issues", label: "Issues" },
  { href: "/security", label: "Security" },
  { href: "/rollouts", label: "Rollouts" },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <nav aria-label="Sections" className="nav">
      <ul>
        {SECTIONS.map((section) => {
          const active = section.href === "/" ? pathname === "/" : pathname.startsWith(section.href);
          return (
            <li key={section.href}>
              <Link href={hrefWithViewState(section.href, params)} aria-current={active ? "page" : undefined} className={active ? "active" : undefined}>
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
