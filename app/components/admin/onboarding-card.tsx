import { Link, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { OnboardingChecklist, OnboardingStepId } from "~/domain/onboarding/checklist";

interface StepCopy {
  title: string;
  why: string;
  action: string;
}

const COPY: Record<OnboardingStepId, StepCopy> = {
  plan: { title: "Publish a compensation plan", why: "Levels and rates decide what every order pays.", action: "Open plans" },
  classes: { title: "Set up commission classes", why: "Products map to classes; unmapped SKUs fall into the default class.", action: "Open classes" },
  theme_embed: {
    title: "Turn on the referral embed in your theme",
    why: "It keeps ?ref= codes in the cart so orders reach the right affiliate.",
    action: "Open the theme editor",
  },
  first_affiliate: { title: "Enroll your first affiliate", why: "Each affiliate gets a referral link to share.", action: "Open distributors" },
  payouts: { title: "Set up payouts", why: "A minimum, a schedule and how each affiliate is paid.", action: "Open payouts" },
};

/**
 * First-run checklist: each step reflects the shop's real state (services/admin/onboarding.server.ts) and links
 * to the page that does it; it hides itself once everything is done.
 */
export function OnboardingCard({ checklist, links }: { checklist: OnboardingChecklist; links: Record<OnboardingStepId, string> }) {
  const [params] = useSearchParams();
  if (checklist.complete) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Get Upline running
          </Text>
          <Text as="span" tone="subdued">
            {checklist.done} of {checklist.total} done
          </Text>
        </InlineStack>
        <ProgressBar progress={Math.round((checklist.done / checklist.total) * 100)} size="small" />
        <BlockStack gap="200">
          {checklist.steps.map((step) => {
            const copy = COPY[step.id];
            const href = links[step.id];
            const external = href.startsWith("https://");
            return (
              <Box key={step.id} paddingBlock="100">
                <InlineStack gap="300" blockAlign="start" wrap={false}>
                  <Box minWidth="56px">
                    <Badge tone={step.done ? "success" : undefined}>{step.done ? "Done" : "To do"}</Badge>
                  </Box>
                  <BlockStack gap="050">
                    <Text as="h3" variant="headingSm">
                      {copy.title}
                    </Text>
                    <Text as="p" tone="subdued">
                      {copy.why} {step.status}.
                    </Text>
                    {!step.done &&
                      (external ? (
                        <a href={href} target="_top">
                          {copy.action}
                        </a>
                      ) : (
                        // Keeps the embedding parameters (shop, host, id_token) like every link inside the admin.
                        <Link to={`${href}?${params.toString()}`}>{copy.action}</Link>
                      ))}
                  </BlockStack>
                </InlineStack>
              </Box>
            );
          })}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
