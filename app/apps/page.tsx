import { AppList } from "@/components/lists/AppList";

export default function AppsPage() {
  return (
    <>
      <h1>Applications</h1>
      <AppList />
    </>
  );
}
