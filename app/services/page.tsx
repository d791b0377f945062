import { ServiceList } from "@/components/lists/ServiceList";

export default function ServicesPage() {
  return (
    <>
      <h1>Services</h1>
      <ServiceList />
    </>
  );
}
